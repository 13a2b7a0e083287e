package io.backplane.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** The "alert firing -> act" and "probe down -> act" kamelets, used from YAML as a user writes them. */
class ReactionKameletsTest {

    static final String RULES = """
            - route:
                from:
                  uri: kamelet:backplane-alert-firing-source?severity=critical
                  steps:
                    - to: mock:any-critical
            - route:
                from:
                  uri: kamelet:backplane-alert-firing-source?alertname=DiskFull
                  steps:
                    - to: mock:disk-full
            - route:
                from:
                  uri: kamelet:backplane-probe-down-source?probe=web
                  steps:
                    - to: mock:web-down
            """;

    static Event alert(String system, String name, String status, String severity) {
        return Event.builder("monitor/" + system + "/" + name + "/" + status).subject("web01")
                .data(Map.of("labels", Map.of("alertname", name, "severity", severity))).build();
    }

    @Test
    void reactToAlertsFromAnySystemAndToProbesGoingDown() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            BusComponent bus = new BusComponent();
            bus.setPublishPort(Ports.free());
            bus.setSubscribePort(Ports.free());
            context.addComponent("bus", bus);
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("rules.yaml", RULES));
            context.start();
            MockEndpoint critical = context.getEndpoint("mock:any-critical", MockEndpoint.class);
            MockEndpoint diskFull = context.getEndpoint("mock:disk-full", MockEndpoint.class);
            MockEndpoint webDown = context.getEndpoint("mock:web-down", MockEndpoint.class);
            critical.expectedMessageCount(3);
            diskFull.expectedMessageCount(2);
            webDown.expectedMessageCount(1);
            ProducerTemplate template = context.createProducerTemplate();
            for (Event e : List.of(
                    alert("alertmanager", "HighLoad", "firing", "critical"),
                    alert("alertmanager", "HighLoad", "resolved", "critical"),
                    alert("alertmanager", "HighLoad", "firing", "warning"),
                    alert("prometheus", "DiskFull", "firing", "critical"),
                    alert("grafana", "DiskFull", "firing", "info"),
                    Event.builder("monitor/probe/web/down").subject("web01").build(),
                    Event.builder("monitor/probe/web/up").subject("web01").build(),
                    Event.builder("monitor/probe/db/down").subject("db01").build(),
                    // last: the bus dispatches in order, so once this arrives every event before it was dispatched
                    alert("alertmanager", "Sentinel", "firing", "critical"))) {
                template.sendBody("bus:" + e.type(), e);
            }
            MockEndpoint.assertIsSatisfied(10, TimeUnit.SECONDS, critical, diskFull, webDown);
            assertThat(critical.getExchanges()).extracting(x -> x.getMessage().getBody(Event.class).type())
                    .containsExactly("monitor/alertmanager/HighLoad/firing", "monitor/prometheus/DiskFull/firing",
                            "monitor/alertmanager/Sentinel/firing");
            assertThat(webDown.getExchanges().get(0).getMessage().getBody(Event.class).type()).isEqualTo("monitor/probe/web/down");
            assertThat(diskFull.getReceivedCounter()).isEqualTo(2);
            assertThat(webDown.getReceivedCounter()).isEqualTo(1);
        }
    }
}
