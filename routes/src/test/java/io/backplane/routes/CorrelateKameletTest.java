package io.backplane.routes;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The correlation kamelet from YAML, on a real bus: all of the tags, any N of them, and expiry. */
class CorrelateKameletTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    static final String RULES = """
            - route:
                id: web-degraded
                from:
                  uri: kamelet:backplane-correlate-source
                  parameters:
                    glob: "monitor/**"
                    tags: monitor/*/HighLoad/firing,monitor/probe/web/down,monitor/*/ErrorRate/firing
                    within: 5m
                    tag: incident/web/degraded
                  steps:
                    - to: bus
            - route:
                id: any-two-disk-signals
                from:
                  uri: kamelet:backplane-correlate-source?glob=disk/**&tags=disk/smart/failing,disk/io/errors,disk/raid/degraded&count=2&within=5m&tag=incident/disk/failing
                  steps:
                    - to: bus
            - route:
                id: quick-pair
                from:
                  uri: kamelet:backplane-correlate-source?glob=pair/**&tags=pair/a,pair/b&within=1s&tag=incident/pair
                  steps:
                    - to: bus
            """;

    private CamelContext context;
    private ProducerTemplate template;
    private MockEndpoint incidents;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        context.addComponent("bus", bus);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("rules.yaml", RULES));
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("bus:incident/**").to("mock:incidents");
            }
        });
        context.start();
        template = context.createProducerTemplate();
        incidents = context.getEndpoint("mock:incidents", MockEndpoint.class);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private Event publish(String tag, String subject) {
        Event e = Event.builder(tag).subject(subject).data(Map.of("from", tag)).build();
        template.sendBody("bus:" + tag, e);
        return e;
    }

    @SuppressWarnings("unchecked")
    private static List<String> partTypes(Event combined) {
        return ((List<Map<String, Object>>) combined.data().get("events")).stream()
                .map(p -> (String) p.get("type")).toList();
    }

    private List<Event> received(int count) {
        await().atMost(WAIT).until(() -> incidents.getReceivedCounter() >= count);
        return incidents.getExchanges().stream().map(x -> x.getMessage().getBody(Event.class)).toList();
    }

    @Test
    void allOfTheTagsForOneSubject() {
        publish("monitor/alertmanager/HighLoad/firing", "web01");
        publish("monitor/probe/web/down", "web02");
        publish("monitor/probe/db/down", "web01"); // not one of the tags
        publish("monitor/probe/web/down", "web01");
        Event last = publish("monitor/prometheus/ErrorRate/firing", "web01");
        List<Event> got = received(1);
        Event combined = got.get(0);
        assertThat(combined.type()).isEqualTo("incident/web/degraded");
        assertThat(combined.subject()).isEqualTo("web01");
        assertThat(combined.causationId()).isEqualTo(last.id());
        assertThat(partTypes(combined)).containsExactly("monitor/alertmanager/HighLoad/firing",
                "monitor/probe/web/down", "monitor/prometheus/ErrorRate/firing");
        assertThat(combined.data()).containsEntry("count", 3).containsEntry("subject", "web01");

        // web02 completes later, on its own
        publish("monitor/alertmanager/HighLoad/firing", "web02");
        publish("monitor/alertmanager/ErrorRate/firing", "web02");
        assertThat(received(2)).extracting(Event::subject).containsExactly("web01", "web02");
    }

    @Test
    void anyTwoOfThree() {
        publish("disk/smart/failing", "db01");
        publish("disk/smart/failing", "db01"); // the same tag again is still one
        publish("disk/io/errors", "db02");
        publish("disk/raid/degraded", "db01");
        List<Event> got = received(1);
        assertThat(got.get(0).type()).isEqualTo("incident/disk/failing");
        assertThat(got.get(0).subject()).isEqualTo("db01");
        assertThat(partTypes(got.get(0))).containsExactly("disk/smart/failing", "disk/raid/degraded");
        assertThat(got.get(0).data()).containsEntry("count", 2);
    }

    @Test
    void eventsFurtherApartThanWithinDoNotCorrelate() {
        publish("pair/a", "s1");
        // let well over 'within' (1s) pass: s1's group is then discarded or its event no longer counts
        await().pollDelay(Duration.ofMillis(2500)).atMost(WAIT).until(() -> true);
        publish("pair/b", "s1");
        // a pair in time for another subject shows the kamelet still works, and that s1 did not complete before
        publish("pair/a", "s2");
        publish("pair/b", "s2");
        List<Event> got = received(1);
        assertThat(got).extracting(Event::subject).containsExactly("s2");
        // s1 completes with a fresh pair
        publish("pair/b", "s1");
        publish("pair/a", "s1");
        assertThat(received(2)).extracting(Event::subject).containsExactly("s2", "s1");
    }
}
