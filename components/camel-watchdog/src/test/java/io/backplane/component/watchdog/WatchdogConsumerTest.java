package io.backplane.component.watchdog;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** missing and back on a hand-moved clock, with heartbeats over a real bus. */
class WatchdogConsumerTest extends WatchdogTestSupport {

    private void watch(String uri) throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:out");
            }
        });
    }

    @Test
    void aSilentKeyGoesMissingOnceThenComesBack() throws Exception {
        watch("watchdog:hb?glob=app/*/heartbeat&timeout=30s");
        MockEndpoint out = mock("out");
        Instant start = clock.instant();
        beat("hb", "app/web/heartbeat", "web01");
        Event lastDb = beat("hb", "app/db/heartbeat", "db01");
        clock.advance(Duration.ofSeconds(20));
        beat("hb", "app/web/heartbeat", "web01");
        clock.advance(Duration.ofSeconds(9));
        tick();
        assertThat(out.getReceivedCounter()).isZero();
        clock.advance(Duration.ofSeconds(1));
        tick();
        assertThat(summary(out)).containsExactly("db01 app/db/heartbeat/missing");

        Event missing = events(out).get(0);
        assertThat(missing.source()).isEqualTo("backplane/watchdog/hb");
        assertThat(missing.causationId()).isEqualTo(lastDb.id());
        assertThat(missing.data()).containsEntry("watchdog", "hb").containsEntry("key", "db01")
                .containsEntry("expected", "app/*/heartbeat").containsEntry("timeoutMs", 30000L)
                .containsEntry("seen", true).containsEntry("lastSeen", start.toString())
                .containsEntry("lastType", "app/db/heartbeat").containsEntry("lastEventId", lastDb.id())
                .containsEntry("silentForMs", 30000L);
        assertThat(out.getExchanges().get(0).getMessage().getHeaders())
                .containsEntry(WatchdogConstants.KEY, "db01").containsEntry(WatchdogConstants.STATE, "missing")
                .containsEntry("CamelCloudEventType", "app/db/heartbeat/missing")
                .containsEntry("CamelCloudEventSubject", "db01");

        // still missing: reported once, not at every check
        clock.advance(Duration.ofMinutes(5));
        beat("hb", "app/web/heartbeat", "web01");
        tick();
        assertThat(out.getReceivedCounter()).isEqualTo(1);

        Event returned = beat("hb", "app/db/heartbeat", "db01");
        assertThat(summary(out)).containsExactly("db01 app/db/heartbeat/missing", "db01 app/db/heartbeat/back");
        Event back = events(out).get(1);
        assertThat(back.causationId()).isEqualTo(returned.id());
        assertThat(back.data()).containsEntry("key", "db01").containsEntry("silentForMs", 330000L)
                .containsEntry("lastSeen", start.toString()).containsEntry("lastEventId", lastDb.id())
                .containsEntry("missingSince", start.plusSeconds(30).toString())
                .containsEntry("backType", "app/db/heartbeat").containsEntry("backEventId", returned.id());
        assertThat(out.getExchanges().get(1).getMessage().getHeader(WatchdogConstants.STATE)).isEqualTo("back");

        // and it is watched again
        clock.advance(Duration.ofSeconds(30));
        tick();
        assertThat(summary(out)).containsExactly("db01 app/db/heartbeat/missing", "db01 app/db/heartbeat/back",
                "web01 app/web/heartbeat/missing", "db01 app/db/heartbeat/missing");
        assertThat(watchdog.stats("hb")).isEqualTo(new WatchdogStats(5, 0, 3, 1, 0, 0, 2));
    }

    @Test
    void keysThatKeepReportingNeverGoMissing() throws Exception {
        watch("watchdog:hb?glob=app/*/heartbeat&timeout=30s");
        MockEndpoint out = mock("out");
        for (int step = 0; step < 40; step++) {
            beat("hb", "app/web/heartbeat", "web01");
            beat("hb", "app/web/heartbeat", "web02");
            if (step < 5) {
                beat("hb", "app/db/heartbeat", "db01");
            }
            clock.advance(Duration.ofSeconds(10));
            tick();
        }
        assertThat(summary(out)).containsExactly("db01 app/db/heartbeat/missing");
    }

    @Test
    void expectedKeysAreMissingFromTheStart() throws Exception {
        watch("watchdog:hb?glob=app/*/heartbeat&timeout=1m&keys=web01, web02 ,web03&tag=app/web/heartbeat");
        MockEndpoint out = mock("out");
        clock.advance(Duration.ofSeconds(30));
        beat("hb", "app/web/heartbeat", "web01");
        beat("hb", "app/web/heartbeat", "web03");
        clock.advance(Duration.ofSeconds(30));
        tick();
        assertThat(summary(out)).containsExactly("web02 app/web/heartbeat/missing");
        Event never = events(out).get(0);
        assertThat(never.causationId()).isNull();
        assertThat(never.data()).containsEntry("seen", false).containsEntry("silentForMs", 60000L)
                .doesNotContainKeys("lastSeen", "lastType", "lastEventId");
        clock.advance(Duration.ofSeconds(30));
        tick();
        assertThat(summary(out)).containsExactly("web02 app/web/heartbeat/missing", "web01 app/web/heartbeat/missing",
                "web03 app/web/heartbeat/missing");
    }

    @Test
    void aLiteralGlobIsTheTagOfKeysNeverSeen() throws Exception {
        watch("watchdog:backup?glob=cm/backup/done&key=data.host&timeout=1d&keys=db01");
        clock.advance(Duration.ofDays(1));
        tick();
        assertThat(summary(mock("out"))).containsExactly("db01 cm/backup/done/missing");
    }

    @Test
    void theKeyCanComeFromTheDataOrALanguage() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("watchdog:a?glob=app/**&key=data.host&timeout=10s").to("mock:a");
                from("watchdog:b?glob=app/**&keyLanguage=simple&key=${header.CamelCloudEventSource}&timeout=10s")
                        .to("mock:b");
            }
        });
        template.sendBody("bus:app/x", Event.builder("app/x").source("agent7").data(Map.of("host", "h1")).build());
        await().atMost(WAIT).until(() -> watchdog.stats("a").received() == 1 && watchdog.stats("b").received() == 1);
        clock.advance(Duration.ofSeconds(10));
        tick();
        assertThat(summary(mock("a"))).containsExactly("h1 app/x/missing");
        assertThat(summary(mock("b"))).containsExactly("agent7 app/x/missing");
    }

    @Test
    void eventsWithoutAKeyAreIgnoredAndCounted() throws Exception {
        watch("watchdog:hb?glob=app/*/heartbeat&timeout=30s");
        template.sendBody("bus:app/web/heartbeat", Event.builder("app/web/heartbeat").build());
        await().atMost(WAIT).until(() -> watchdog.stats("hb").ignored() == 1);
        clock.advance(Duration.ofMinutes(1));
        tick();
        assertThat(mock("out").getReceivedCounter()).isZero();
        assertThat(watchdog.stats("hb").activeKeys()).isZero();
    }

    @Test
    void itsOwnEventsOnTheBusAreNotHeartbeats() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                // a glob wide enough to see its own missing events
                from("watchdog:all?glob=app/**&timeout=30s").to("bus").to("mock:out");
                from("bus:app/**").to("mock:bus");
            }
        });
        beat("all", "app/web/heartbeat", "web01");
        clock.advance(Duration.ofSeconds(30));
        tick();
        await().atMost(WAIT).until(() -> watchdog.stats("all").ignored() == 1);
        assertThat(summary(mock("out"))).containsExactly("web01 app/web/heartbeat/missing");
        assertThat(watchdog.stats("all").missingKeys()).isEqualTo(1);
        assertThat(watchdog.stats("all").back()).isZero();
    }

    @Test
    void maxKeysBoundsTheKeysAndCountsEvictions() throws Exception {
        watch("watchdog:hb?glob=app/*/heartbeat&timeout=30s&maxKeys=3");
        for (int i = 1; i <= 3; i++) {
            beat("hb", "app/web/heartbeat", "web0" + i);
        }
        clock.advance(Duration.ofSeconds(30));
        tick(); // three missing
        beat("hb", "app/web/heartbeat", "web04"); // forgets the longest-missing key, web01
        beat("hb", "app/web/heartbeat", "web05"); // and web02
        WatchdogStats stats = watchdog.stats("hb");
        assertThat(stats.evicted()).isEqualTo(2);
        assertThat(stats.activeKeys() + stats.missingKeys()).isEqualTo(3);
        // a forgotten key is new again when it returns: no back event
        beat("hb", "app/web/heartbeat", "web01");
        assertThat(mock("out").getExchanges()).extracting(e -> e.getMessage().getHeader(WatchdogConstants.STATE))
                .containsOnly("missing");
    }
}
