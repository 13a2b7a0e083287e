package io.backplane.component.dedupe;

import java.time.Duration;
import java.util.List;

import io.backplane.core.Event;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** once, count and rate with interleaved keys on a hand-moved clock. */
class DedupeModesTest extends DedupeTestSupport {

    private void route(String uri) throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri).to("mock:out");
            }
        });
    }

    private void send(String subject, int n) {
        template.sendBody("direct:in", event("monitor/x/Disk/firing", subject, n));
    }

    @Test
    void oncePassesTheFirstEventOfEachKeyPerWindow() throws Exception {
        route("dedupe:alerts?mode=once&window=5m");
        MockEndpoint out = mock("out");
        send("web01", 1);
        send("web01", 2);
        send("db01", 3);
        clock.advance(Duration.ofMinutes(4));
        send("web01", 4);
        send("db01", 5);
        assertThat(subjectsAndN(out)).containsExactly("web01:1", "db01:3");
        assertThat(header(out.getExchanges().get(0), DedupeConstants.COUNT)).isEqualTo(1);
        assertThat(header(out.getExchanges().get(0), DedupeConstants.SUPPRESSED)).isEqualTo(false);
        assertThat(header(out.getExchanges().get(0), DedupeConstants.KEY)).isEqualTo("web01");

        // the window runs from web01:1 (suppressed events do not extend it): at 5m it passes again
        clock.advance(Duration.ofMinutes(1));
        send("web01", 6);
        send("web01", 7);
        assertThat(subjectsAndN(out)).containsExactly("web01:1", "db01:3", "web01:6");
        assertThat(dedupe.stats("alerts")).isEqualTo(new DedupeStats(3, 4, 0, 0, 0, 0, 2));
    }

    @Test
    void countPassesTheNthEventWithinASlidingWindowThenStartsAgain() throws Exception {
        route("dedupe:flaky?mode=count&count=3&window=1m");
        MockEndpoint out = mock("out");
        send("a", 1);
        send("b", 1);
        send("a", 2);
        send("b", 2);
        send("a", 3); // third a within the minute
        assertThat(subjectsAndN(out)).containsExactly("a:3");
        assertThat(header(out.getExchanges().get(0), DedupeConstants.COUNT)).isEqualTo(3);

        // counting starts again after a firing
        send("a", 4);
        send("a", 5);
        assertThat(out.getReceivedCounter()).isEqualTo(1);
        send("a", 6);
        assertThat(subjectsAndN(out)).containsExactly("a:3", "a:6");

        // sliding: c:1 is 70s old when c:3 comes, so only c:2 and c:3 count then
        send("c", 1);
        clock.advance(Duration.ofSeconds(40));
        send("c", 2);
        clock.advance(Duration.ofSeconds(30));
        send("c", 3);
        assertThat(out.getReceivedCounter()).isEqualTo(2);
        send("c", 4);
        assertThat(subjectsAndN(out)).containsExactly("a:3", "a:6", "c:4");
        // b's two events are long gone
        send("b", 3);
        assertThat(out.getReceivedCounter()).isEqualTo(3);
    }

    @Test
    void countWindowExpiryForgetsTheKey() throws Exception {
        route("dedupe:flaky?mode=count&count=2&window=10s");
        MockEndpoint out = mock("out");
        send("a", 1);
        clock.advance(Duration.ofSeconds(10));
        send("a", 2); // a:1 is exactly one window old: out
        assertThat(out.getReceivedCounter()).isZero();
        clock.advance(Duration.ofSeconds(11));
        tick();
        assertThat(dedupe.stats("flaky").keys()).isZero();
    }

    @Test
    void rateLimitsFiringsPerKeyOverSlidingWindows() throws Exception {
        route("dedupe:restarts?mode=rate&limit=2&window=1h");
        MockEndpoint out = mock("out");
        send("web01", 1);
        send("db01", 1);
        clock.advance(Duration.ofMinutes(10));
        send("web01", 2);
        send("web01", 3);
        send("db01", 2);
        assertThat(subjectsAndN(out)).containsExactly("web01:1", "db01:1", "web01:2", "db01:2");
        assertThat(header(out.getExchanges().get(2), DedupeConstants.COUNT)).isEqualTo(2);

        // 59 minutes after web01:1 both firings are still in the window
        clock.advance(Duration.ofMinutes(49));
        send("web01", 4);
        assertThat(out.getReceivedCounter()).isEqualTo(4);
        // one hour after web01:1 that firing leaves the window: one more may pass, not two
        clock.advance(Duration.ofMinutes(1));
        send("web01", 5);
        send("web01", 6);
        assertThat(subjectsAndN(out)).endsWith("web01:5");
        // and one hour after web01:2 the next
        clock.advance(Duration.ofMinutes(10));
        send("web01", 7);
        assertThat(subjectsAndN(out)).containsExactly("web01:1", "db01:1", "web01:2", "db01:2", "web01:5",
                "web01:7");
        DedupeStats stats = dedupe.stats("restarts");
        assertThat(stats.passed()).isEqualTo(6);
        assertThat(stats.suppressed()).isEqualTo(3);
    }

    @Test
    void stopOnSuppressFalseContinuesWithTheHeader() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("dedupe:alerts?window=1m&stopOnSuppress=false")
                        .choice().when(header(DedupeConstants.SUPPRESSED).isEqualTo(true)).to("mock:repeat")
                        .otherwise().to("mock:first");
            }
        });
        send("web01", 1);
        send("web01", 2);
        send("web01", 3);
        assertThat(mock("first").getReceivedCounter()).isEqualTo(1);
        assertThat(mock("repeat").getReceivedCounter()).isEqualTo(2);
        assertThat(header(mock("repeat").getExchanges().get(1), DedupeConstants.COUNT)).isEqualTo(3);
    }

    @Test
    void compositeKeysAndKeysFromALanguage() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:paths").to("dedupe:p?window=1m&key=subject,type").to("mock:paths");
                from("direct:lang").to("dedupe:l?window=1m&keyLanguage=simple&key=${header.team}")
                        .to("mock:lang");
            }
        });
        template.sendBody("direct:paths", event("monitor/x/Disk/firing", "web01"));
        template.sendBody("direct:paths", event("monitor/x/Load/firing", "web01"));
        template.sendBody("direct:paths", event("monitor/x/Disk/firing", "web01"));
        template.sendBody("direct:paths", event("monitor/x/Disk/firing", "web02"));
        assertThat(mock("paths").getExchanges()).extracting(e -> header(e, DedupeConstants.KEY))
                .containsExactly("web01/monitor/x/Disk/firing", "web01/monitor/x/Load/firing",
                        "web02/monitor/x/Disk/firing");

        template.sendBodyAndHeader("direct:lang", event("a/b", "web01"), "team", "ops");
        template.sendBodyAndHeader("direct:lang", event("a/b", "web02"), "team", "ops");
        template.sendBodyAndHeader("direct:lang", event("a/b", "web03"), "team", "dev");
        assertThat(subjectsAndN(mock("lang"))).containsExactly("web01:1", "web03:1");
    }

    @Test
    void aKeyFromTheDataOfAJsonBody() throws Exception {
        route("dedupe:svc?window=1m&key=data.service");
        template.sendBody("direct:in", """
                {"specversion":"1.0","id":"1","source":"t","type":"app/x","data":{"service":"web"}}""");
        template.sendBody("direct:in", """
                {"specversion":"1.0","id":"2","source":"t","type":"app/x","data":{"service":"web"}}""");
        assertThat(mock("out").getReceivedCounter()).isEqualTo(1);
        assertThat(header(mock("out").getExchanges().get(0), DedupeConstants.KEY)).isEqualTo("web");
    }

    @Test
    void maxKeysBoundsMemoryAndCountsEvictions() throws Exception {
        route("dedupe:many?window=1h&maxKeys=100");
        for (int i = 0; i < 250; i++) {
            send("host" + i, i);
        }
        DedupeStats stats = dedupe.stats("many");
        assertThat(stats.keys()).isEqualTo(100);
        assertThat(stats.evicted()).isEqualTo(150);
        // host0 was evicted first, so it passes again; host249 is still remembered
        send("host0", 1000);
        send("host249", 1001);
        assertThat(subjectsAndN(mock("out"))).hasSize(251).endsWith("host0:1000");

        // expired keys make room before anything is evicted
        clock.advance(Duration.ofHours(1));
        send("fresh", 1);
        assertThat(dedupe.stats("many").evicted()).isEqualTo(151);
        tick();
        assertThat(dedupe.stats("many").keys()).isEqualTo(1);
    }

    @Test
    void endpointsSharingANameShareTheState() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("dedupe:shared?window=1m").to("mock:out");
                from("direct:b").to("dedupe:shared?window=60s").to("mock:out");
            }
        });
        template.sendBody("direct:a", event("a/b", "web01"));
        template.sendBody("direct:b", event("a/b", "web01"));
        assertThat(mock("out").getReceivedCounter()).isEqualTo(1);
        List<Event> got = events(mock("out"));
        assertThat(got.get(0).subject()).isEqualTo("web01");
    }
}
