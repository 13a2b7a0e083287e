package io.backplane.component.dedupe;

import java.time.Duration;
import java.util.List;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The YAML routes of docs/components/dedupe.md and docs/rules/dedupe.md, as written there, on a real bus in process.
 * Events go in with bus publishes and come out through bus subscriptions of the test.
 */
class DedupeYamlRouteTest extends DedupeTestSupport {

    static final String IDEMPOTENT = """
            - beans:
                - name: onceIn5m
                  type: io.backplane.component.dedupe.TimeWindowIdempotentRepository
                  properties:
                    window: 5m
                    maxKeys: 10000
            - route:
                id: page-once-per-alert-and-host
                from:
                  uri: bus:monitor/**/firing
                  steps:
                    - idempotentConsumer:
                        simple: "${header.CamelCloudEventSubject}/${header.CamelCloudEventType}"
                        idempotentRepository: onceIn5m
                        steps:
                          - to: bus:notify/page
            """;

    static final String ONCE = """
            - route:
                id: page-once
                from:
                  uri: bus:monitor/**/firing
                  steps:
                    - to: dedupe:alerts?mode=once&key=subject,type&window=5m
                    - to: bus:notify/page
            """;

    static final String COUNT_THEN_RATE = """
            - route:
                id: restart-after-three-failures
                from:
                  uri: bus:monitor/probe/*/down
                  steps:
                    # act on the third failed probe of a host within a minute ...
                    - to: dedupe:probe-failures?mode=count&count=3&window=1m
                    # ... but restart a host at most twice an hour
                    - to: dedupe:restarts?mode=rate&limit=2&window=1h
                    - to: bus:remediate/restart
            """;

    static final String DEBOUNCE = """
            - route:
                id: hold-flapping-probes
                from:
                  uri: bus:monitor/probe/*/*
                  steps:
                    - to:
                        uri: dedupe:flaps
                        parameters:
                          mode: debounce
                          window: 2m
                          maxDelay: 10m
            - route:
                id: report-settled-state
                from:
                  uri: dedupe:flaps
                  steps:
                    - log: "${header.CamelDedupeKey} settled after ${header.CamelDedupeCount} events: ${header.CamelCloudEventType}"
                    - to: bus:notify/settled
            """;

    @BeforeEach
    void bus() {
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        context.addComponent("bus", bus);
    }

    private void load(String yaml) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("rules.yaml", yaml));
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:notify/**").to("mock:notify");
                from("bus:remediate/**").to("mock:remediate");
            }
        });
    }

    private void publish(String tag, String subject, int n) {
        template.sendBody("bus:" + tag, event(tag, subject, n));
    }

    private static List<String> causes(MockEndpoint mock) {
        return events(mock).stream().map(Event::causationId).toList();
    }

    /** Publishes a last event that passes and waits for it: everything published before it was handled. */
    private void sentinel(String tag, MockEndpoint mock, int expectedTotal) {
        publish(tag, "sentinel", 0);
        await().atMost(WAIT).until(() -> mock.getReceivedCounter() >= expectedTotal);
    }

    @Test
    void idempotentConsumerWithTheTimeWindowRepository() throws Exception {
        load(IDEMPOTENT);
        MockEndpoint notify = mock("notify");
        publish("monitor/alertmanager/DiskFull/firing", "web01", 1);
        publish("monitor/alertmanager/DiskFull/firing", "web01", 2);
        publish("monitor/alertmanager/HighLoad/firing", "web01", 3);
        publish("monitor/alertmanager/DiskFull/firing", "web02", 4);
        publish("monitor/alertmanager/DiskFull/firing", "web01", 5);
        sentinel("monitor/alertmanager/DiskFull/firing", notify, 4);
        assertThat(events(notify)).extracting(Event::type).containsOnly("notify/page");
        assertThat(notify.getExchanges()).extracting(e -> e.getMessage().getBody(Event.class).data().get("n"))
                .containsExactly(1, 3, 4, 0);
        TimeWindowIdempotentRepository repo = context.getRegistry().lookupByNameAndType("onceIn5m",
                TimeWindowIdempotentRepository.class);
        assertThat(repo.getWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(repo.getMaxKeys()).isEqualTo(10000);
        assertThat(repo.getDuplicates()).isEqualTo(2);
    }

    @Test
    void oncePerAlertAndHost() throws Exception {
        load(ONCE);
        MockEndpoint notify = mock("notify");
        publish("monitor/alertmanager/DiskFull/firing", "web01", 1);
        publish("monitor/alertmanager/DiskFull/firing", "web01", 2);
        publish("monitor/alertmanager/DiskFull/firing", "web02", 3);
        await().atMost(WAIT).until(() -> dedupe.stats("alerts").suppressed() == 1);
        clock.advance(Duration.ofMinutes(5));
        publish("monitor/alertmanager/DiskFull/firing", "web01", 4);
        sentinel("monitor/alertmanager/DiskFull/firing", notify, 4);
        assertThat(notify.getExchanges()).extracting(e -> e.getMessage().getBody(Event.class).data().get("n"))
                .containsExactly(1, 3, 4, 0);
        assertThat(notify.getExchanges().get(0).getMessage().getHeader(DedupeConstants.KEY))
                .as("dedupe headers do not travel on the bus").isNull();
    }

    @Test
    void countThenRate() throws Exception {
        load(COUNT_THEN_RATE);
        MockEndpoint restart = mock("remediate");
        for (int i = 1; i <= 9; i++) {
            publish("monitor/probe/web/down", "web01", i);
        }
        publish("monitor/probe/web/down", "db01", 1);
        await().atMost(WAIT).until(() -> dedupe.stats("probe-failures").passed() == 3);
        // failures 3 and 6 restart web01; 9 is the third restart within the hour: suppressed
        await().atMost(WAIT).until(() -> dedupe.stats("restarts").suppressed() == 1);
        clock.advance(Duration.ofHours(1));
        for (int i = 10; i <= 12; i++) {
            publish("monitor/probe/web/down", "web01", i);
        }
        await().atMost(WAIT).until(() -> restart.getReceivedCounter() == 3);
        assertThat(restart.getExchanges()).extracting(e -> e.getMessage().getBody(Event.class).subject())
                .containsOnly("web01");
        assertThat(restart.getExchanges()).extracting(e -> e.getMessage().getBody(Event.class).data().get("n"))
                .containsExactly(3, 6, 12);
        assertThat(causes(restart)).doesNotContainNull();
    }

    @Test
    void debounceFlappingProbes() throws Exception {
        load(DEBOUNCE);
        MockEndpoint settled = mock("notify");
        publish("monitor/probe/web/down", "web01", 1);
        publish("monitor/probe/web/up", "web01", 2);
        publish("monitor/probe/web/down", "web01", 3);
        publish("monitor/probe/db/down", "db01", 4);
        await().atMost(WAIT).until(() -> dedupe.stats("flaps").suppressed() == 4);
        clock.advance(Duration.ofMinutes(1));
        publish("monitor/probe/web/up", "web01", 5);
        await().atMost(WAIT).until(() -> dedupe.stats("flaps").suppressed() == 5);
        clock.advance(Duration.ofMinutes(1));
        tick();
        await().atMost(WAIT).until(() -> settled.getReceivedCounter() == 1);
        clock.advance(Duration.ofMinutes(1));
        tick();
        await().atMost(WAIT).until(() -> settled.getReceivedCounter() == 2);
        List<Event> got = events(settled);
        assertThat(got).extracting(Event::subject).containsExactly("db01", "web01");
        assertThat(got).extracting(Event::type).containsOnly("notify/settled");
        assertThat(got.get(1).data()).containsEntry("n", 5);
        assertThat(settled.getExchanges().get(1).getMessage().getHeader("CamelCloudEventType"))
                .isEqualTo("notify/settled");
    }
}
