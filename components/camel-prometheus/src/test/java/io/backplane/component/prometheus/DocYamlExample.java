package io.backplane.component.prometheus;

import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import static org.assertj.core.api.Assertions.assertThat;

/** The YAML routes of docs/components/prometheus.md, exactly as written there. */
final class DocYamlExample {

    static final String YAML = """
            - route:
                id: targets-down
                from:
                  uri: prometheus:target-down
                  parameters:
                    url: "{{prometheus.url}}"
                    query: 1 - up
                    interval: 15s
                    above: 0.5
                    subjectLabel: instance
                  steps:
                    - log: "${header.CamelCloudEventType} ${header.CamelCloudEventSubject}"
                    - to: bus
            """;

    static final String YAML_WITH_TOKEN = """
            - route:
                id: error-rate
                from:
                  uri: prometheus:error-rate
                  parameters:
                    url: "{{prometheus.url}}"
                    query: "sum by (instance) (rate(http_errors_total[5m])) / sum by (instance) (rate(http_requests_total[5m]))"
                    interval: 15s
                    above: 0.05
                    below: 0.04
                    token: "{{prometheus.token}}"
                  steps:
                    - to: bus
            """;

    private DocYamlExample() {
    }

    /** Loads the first route; "bus" is a mock here (the bus: component is another module). */
    static void loadDocExample(CamelContext context) throws Exception {
        load(context, YAML);
    }

    static void load(CamelContext context, String yaml) throws Exception {
        context.addComponent("bus", new MockComponent());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("prometheus.yaml", yaml));
    }

    static MockEndpoint bus(CamelContext context) {
        return context.getEndpoints().stream().filter(MockEndpoint.class::isInstance).map(MockEndpoint.class::cast)
                .findFirst().orElseThrow();
    }

    static void assertDocExampleEvent(Exchange exchange, String deadTarget) {
        Event event = exchange.getMessage().getBody(Event.class);
        assertThat(event.type()).isEqualTo("monitor/prometheus/target-down/firing");
        assertThat(event.subject()).isEqualTo(deadTarget);
        assertThat(event.data()).containsEntry("name", "target-down")
                .containsEntry("query", "1 - up")
                .containsEntry("value", 1.0)
                .containsEntry("above", 0.5)
                .containsEntry("below", 0.5)
                .containsEntry("reason", "above");
        assertThat(event.data().get("labels")).isInstanceOf(Map.class);
    }
}
