package io.backplane.component.dedupe;

import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** debounce: the last event of a key, once, after the key was quiet. */
class DedupeDebounceTest extends DedupeTestSupport {

    private void routes(String producerUri) throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(producerUri).to("mock:passed");
                from("dedupe:flaps").to("mock:quiet");
            }
        });
    }

    private void send(String subject, int n) {
        template.sendBody("direct:in", event("monitor/probe/web/down", subject, n));
    }

    @Test
    void emitsTheLastEventOfEachKeyOnceAfterItWasQuiet() throws Exception {
        routes("dedupe:flaps?mode=debounce&window=30s");
        MockEndpoint quiet = mock("quiet");
        send("web01", 1);
        clock.advance(Duration.ofSeconds(10));
        send("db01", 1);
        send("web01", 2);
        clock.advance(Duration.ofSeconds(10));
        send("web01", 3);
        assertThat(mock("passed").getReceivedCounter()).as("debounce holds every event").isZero();

        // 29s after db01:1 nothing is due yet
        clock.advance(Duration.ofSeconds(19));
        tick();
        assertThat(quiet.getReceivedCounter()).isZero();
        clock.advance(Duration.ofSeconds(1));
        tick();
        assertThat(subjectsAndN(quiet)).containsExactly("db01:1");
        // web01 was last seen 20s after it started: due 10s later, with its last event
        clock.advance(Duration.ofSeconds(9));
        tick();
        assertThat(quiet.getReceivedCounter()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        tick();
        tick();
        assertThat(subjectsAndN(quiet)).containsExactly("db01:1", "web01:3");
        assertThat(header(quiet.getExchanges().get(1), DedupeConstants.COUNT)).isEqualTo(3);
        assertThat(header(quiet.getExchanges().get(1), DedupeConstants.KEY)).isEqualTo("web01");
        assertThat(quiet.getExchanges().get(1).getMessage().getHeader("CamelCloudEventSubject")).isEqualTo("web01");

        // once emitted, the key starts over
        clock.advance(Duration.ofMinutes(5));
        tick();
        assertThat(quiet.getReceivedCounter()).isEqualTo(2);
        send("web01", 4);
        clock.advance(Duration.ofSeconds(30));
        tick();
        assertThat(subjectsAndN(quiet)).containsExactly("db01:1", "web01:3", "web01:4");
        assertThat(dedupe.stats("flaps")).isEqualTo(new DedupeStats(0, 5, 3, 0, 0, 0, 0));
    }

    @Test
    void maxDelayEmitsAKeyThatNeverGoesQuiet() throws Exception {
        routes("dedupe:flaps?mode=debounce&window=10s&maxDelay=1m");
        MockEndpoint quiet = mock("quiet");
        for (int i = 1; i <= 11; i++) {
            send("web01", i);
            clock.advance(Duration.ofSeconds(5));
            tick();
            if (i < 11) {
                assertThat(quiet.getReceivedCounter()).as("after event %d", i).isZero();
            }
        }
        // event 1 came 55s ago, event 11 5s ago: due at 60s after the first
        clock.advance(Duration.ofSeconds(5));
        tick();
        assertThat(subjectsAndN(quiet)).containsExactly("web01:11");
        assertThat(header(quiet.getExchanges().get(0), DedupeConstants.COUNT)).isEqualTo(11);
    }

    @Test
    void theSharedTimerEmitsWithoutHelp() throws Exception {
        // the real clock and the real timer: nothing is driven by the test
        context.stop();
        context = new DefaultCamelContext();
        routes("dedupe:flaps?mode=debounce&window=300ms");
        send("web01", 1);
        send("web01", 2);
        MockEndpoint quiet = mock("quiet");
        // exactly-once is shown on the hand-moved clock above; here only that the timer delivers the last event
        // (a stall of the loaded machine between the two sends may legitimately emit web01:1 first)
        await().atMost(WAIT).until(() -> subjectsAndN(quiet).contains("web01:2"));
        assertThat(subjectsAndN(quiet)).endsWith("web01:2").hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void maxKeysDropsTheKeyClosestToEmissionAndCountsIt() throws Exception {
        routes("dedupe:flaps?mode=debounce&window=10s&maxKeys=2");
        send("a", 1);
        clock.advance(Duration.ofSeconds(1));
        send("b", 1);
        send("c", 1); // a is dropped
        assertThat(dedupe.stats("flaps").evicted()).isEqualTo(1);
        assertThat(dedupe.stats("flaps").keys()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(10));
        tick();
        assertThat(subjectsAndN(mock("quiet"))).containsExactly("b:1", "c:1");
    }

    @Test
    void dueEventsWithoutAConsumerAreDroppedAndCounted() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("dedupe:nobody?mode=debounce&window=1s");
            }
        });
        send("web01", 1);
        clock.advance(Duration.ofSeconds(1));
        tick();
        DedupeStats stats = dedupe.stats("nobody");
        assertThat(stats.dropped()).isEqualTo(1);
        assertThat(stats.emitted()).isZero();
    }

    @Test
    void aStoppedConsumerRouteDoesNotReceiveAndRestartsCleanly() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("dedupe:flaps?mode=debounce&window=1s");
                from("dedupe:flaps").routeId("quiet").to("mock:quiet");
            }
        });
        context.getRouteController().stopRoute("quiet");
        send("web01", 1);
        clock.advance(Duration.ofSeconds(1));
        tick();
        assertThat(dedupe.stats("flaps").dropped()).isEqualTo(1);
        context.getRouteController().startRoute("quiet");
        send("web01", 2);
        clock.advance(Duration.ofSeconds(1));
        tick();
        assertThat(subjectsAndN(mock("quiet"))).containsExactly("web01:2");
    }

    @Test
    void stoppingTheContextEndsTheTimerThread() throws Exception {
        routes("dedupe:flaps?mode=debounce&window=1s");
        send("web01", 1);
        assertThat(timerThreads()).isPositive();
        context.stop();
        await().atMost(WAIT).until(() -> timerThreads() == 0);
    }

    private long timerThreads() {
        String prefix = "Camel (" + context.getName() + ")";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix) && t.getName().contains("DedupeTimer"))
                .count();
    }
}
