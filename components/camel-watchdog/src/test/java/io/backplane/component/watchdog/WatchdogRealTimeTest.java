package io.backplane.component.watchdog;

import java.time.Duration;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real clock and the shared timer, nothing driven by hand; and what stopping leaves behind. */
class WatchdogRealTimeTest extends WatchdogTestSupport {

    @BeforeEach
    void realTime() {
        watchdog.setClock(new WatchdogComponent().getClock());
        watchdog.setTickInterval(100);
    }

    private void send(String tag, String subject) {
        template.sendBody("bus:" + tag, Event.builder(tag).subject(subject).data(Map.of()).build());
    }

    @Test
    void missingAfterAShortTimeoutThenBack() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("watchdog:hb?glob=app/*/heartbeat&timeout=300ms").to("mock:out");
            }
        });
        MockEndpoint out = mock("out");
        send("app/web/heartbeat", "web01");
        await().atMost(WAIT).until(() -> out.getReceivedCounter() == 1);
        assertThat(summary(out)).containsExactly("web01 app/web/heartbeat/missing");
        assertThat((Long) events(out).get(0).data().get("silentForMs")).isGreaterThanOrEqualTo(300L);
        send("app/web/heartbeat", "web01");
        await().atMost(WAIT).until(() -> out.getReceivedCounter() >= 2);
        assertThat(summary(out).get(1)).isEqualTo("web01 app/web/heartbeat/back");
    }

    @Test
    void stoppingARouteUnsubscribesAndRestartingStartsOver() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("watchdog:hb?glob=app/*/heartbeat&timeout=1h&keys=web09&tag=app/web/heartbeat").routeId("wd")
                        .to("mock:out");
                from("bus:app/**").to("mock:seen");
            }
        });
        send("app/web/heartbeat", "web01");
        await().atMost(WAIT).until(() -> watchdog.stats("hb").received() == 1);
        assertThat(watchdog.stats("hb").activeKeys()).isEqualTo(2);

        context.getRouteController().stopRoute("wd");
        assertThat(watchdog.stats("hb")).isNull();
        send("app/web/heartbeat", "web02");
        // the bus still runs for other routes
        await().atMost(WAIT).until(() -> mock("seen").getReceivedCounter() == 2);

        context.getRouteController().startRoute("wd");
        assertThat(watchdog.stats("hb")).isEqualTo(new WatchdogStats(0, 0, 0, 0, 0, 1, 0));
        send("app/web/heartbeat", "web03");
        await().atMost(WAIT).until(() -> watchdog.stats("hb").received() == 1);
        assertThat(watchdog.stats("hb").activeKeys()).isEqualTo(2);
    }

    @Test
    void stoppingTheContextEndsTheTimerThread() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("watchdog:hb?glob=app/*/heartbeat&timeout=1s").to("mock:out");
            }
        });
        String prefix = "Camel (" + context.getName() + ")";
        assertThat(timerThreads(prefix)).isEqualTo(1);
        context.stop();
        await().atMost(WAIT).until(() -> timerThreads(prefix) == 0);
        // a new context in the same JVM starts its own
        context = new DefaultCamelContext();
    }

    private static long timerThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix) && t.getName().contains("WatchdogTimer"))
                .count();
    }
}
