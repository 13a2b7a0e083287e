package io.backplane.component.alertmanager;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The YAML example of docs/components/alertmanager.md, as written there, with the bus in between. */
class AlertmanagerYamlRouteTest extends AlertmanagerTestSupport {

    static final String DOC_EXAMPLE = """
            - route:
                id: alertmanager-in
                from:
                  uri: alertmanager:/hooks/alertmanager
                  parameters:
                    token: "{{alertmanager.token}}"
                    suppressRepeats: true
                  steps:
                    - to: bus
            - route:
                id: page-on-critical
                from:
                  uri: bus:monitor/alertmanager/*/firing
                  steps:
                    - filter:
                        simple: "${body[data][labels][severity]} == 'critical'"
                        steps:
                          - log: "paging for ${header.CamelCloudEventType} on ${header.CamelCloudEventSubject}"
                          - to: direct:page
            """;

    @Test
    void alertsReachTheBusThroughTheYamlRoute() throws Exception {
        createContext();
        context.getPropertiesComponent().addInitialProperty("alertmanager.token", "t0ken");
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        context.addComponent("bus", bus);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("alertmanager.yaml", DOC_EXAMPLE));
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:monitor/alertmanager/**").to("mock:bus");
                from("direct:page").to("mock:page");
            }
        });
        MockEndpoint onBus = context.getEndpoint("mock:bus", MockEndpoint.class);
        MockEndpoint paged = context.getEndpoint("mock:page", MockEndpoint.class);

        assertThat(post("/hooks/alertmanager", fixture("alertmanager-v4.json")).statusCode()).isEqualTo(401);
        HttpResponse<String> r = post("/hooks/alertmanager", fixture("alertmanager-v4.json"),
                "Authorization", "Bearer t0ken");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":3,\"suppressed\":0}");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(onBus.getReceivedCounter()).isEqualTo(3));
        List<Event> events = events(onBus);
        assertThat(events).extracting(Event::type).containsExactlyInAnyOrder(
                "monitor/alertmanager/HighLoad/firing",
                "monitor/alertmanager/HighLoad/resolved",
                "monitor/alertmanager/Disk_full__var/firing");
        Event high = events.stream().filter(e -> e.type().endsWith("HighLoad/firing")).findFirst().orElseThrow();
        assertThat(high.subject()).isEqualTo("web01:9100");
        assertThat(high.source()).isEqualTo("alertmanager/backplane");
        assertThat(high.data()).containsEntry("fingerprint", "4a5b6c7d8e9f0a1b");

        // the rule pages for the two firing critical alerts, not for the resolved one
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(paged.getReceivedCounter()).isEqualTo(2));
        assertThat(events(paged)).extracting(Event::subject).containsExactlyInAnyOrder("web01:9100", "Disk full /var");

        // the repeat is suppressed before it reaches the bus
        HttpResponse<String> repeat = post("/hooks/alertmanager", fixture("alertmanager-v4.json"),
                "Authorization", "Bearer t0ken");
        assertThat(repeat.body()).isEqualTo("{\"accepted\":0,\"suppressed\":3}");
    }
}
