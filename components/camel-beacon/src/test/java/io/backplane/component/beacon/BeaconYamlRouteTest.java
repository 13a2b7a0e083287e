package io.backplane.component.beacon;

import java.util.List;

import io.backplane.core.Event;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The YAML routes of docs/components/beacon.md, as written there except for the disk threshold (lowered so that it
 * is surely crossed) and the interval (shortened). {@code to: bus} goes to a mock standing in for the bus component,
 * which this module does not depend on.
 */
class BeaconYamlRouteTest extends BeaconTestSupport {

    static final String ROUTES = """
            - route:
                id: root-disk
                from:
                  uri: beacon:disk
                  parameters:
                    mount: /
                    above: 90
                    below: 85
                    interval: 1m
                  steps:
                    - to: bus
            - route:
                id: memory-trend
                from:
                  uri: beacon:memory?deadband=5
                  steps:
                    - to: bus
            - route:
                id: sshd-down
                from:
                  uri: beacon:process?name=sshd
                  steps:
                    - filter:
                        simple: "${header.CamelBeaconState} == 'stopped'"
                        steps:
                          - to: bus
            """;

    @Test
    void docExampleRunsAndTheSurelyCrossedThresholdIsHigh() throws Exception {
        context.addComponent("bus", new MockComponent());
        String yaml = ROUTES.replace("above: 90", "above: 0.0001").replace("below: 85", "below: 0.00005")
                .replace("interval: 1m", "interval: 200ms")
                // a process surely not running here (sshd may run on a test machine)
                .replace("name=sshd", "name=backplane-no-such-daemon");
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("beacon.yaml", yaml));
        start();
        MockEndpoint bus = context.getEndpoint("bus", MockEndpoint.class);
        await().atMost(WAIT).until(() -> types(bus).containsAll(List.of("disk", "memory")));

        Event disk = first(bus, "disk");
        assertThat(disk.data()).containsEntry("mount", "/").containsEntry("state", "high")
                .containsEntry("reason", "initial").containsEntry("above", 0.0001).containsEntry("below", 0.00005);
        assertThat(value(disk)).isBetween(0.0, 100.0);
        Event memory = first(bus, "memory");
        assertThat(memory.data()).containsEntry("reason", "initial").doesNotContainKey("state");
        await().atMost(WAIT).until(() -> types(bus).contains("process"));
        assertThat(first(bus, "process").data()).containsEntry("process", "backplane-no-such-daemon")
                .containsEntry("state", "stopped");
        assertThat(context.getRoutes()).hasSize(3);
    }

    private static List<String> types(MockEndpoint bus) {
        return bus.getExchanges().stream().map(BeaconYamlRouteTest::event).map(e -> (String) e.data().get("metric"))
                .toList();
    }

    private static Event first(MockEndpoint bus, String metric) {
        return bus.getExchanges().stream().map(BeaconYamlRouteTest::event)
                .filter(e -> metric.equals(e.data().get("metric"))).findFirst().orElseThrow();
    }

    private static Event event(Exchange exchange) {
        return exchange.getMessage().getBody(Event.class);
    }
}
