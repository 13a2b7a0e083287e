package io.backplane.routes;

import io.backplane.test.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backplane.component.watchdog.WatchdogComponent;
import io.backplane.core.Event;
import org.apache.camel.Component;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** backplane-heartbeat-missing-source: the watchdog's missing and back events, time moved by the test. */
class RuleLibraryHeartbeatTest extends RuleLibraryBaseTest {

    /** docs/rules.md: heartbeats every few seconds, and a nightly backup per database host. */
    static final String RULES = """
            - route:
                id: heartbeat-missing
                from:
                  uri: kamelet:backplane-heartbeat-missing-source
                  parameters:
                    name: heartbeats
                    glob: app/*/heartbeat
                    missingAfter: 30s
                    keys: web01,web02
                    tag: app/web/heartbeat
                  steps:
                    - to: bus
            - route:
                id: backup-missing
                from:
                  uri: kamelet:backplane-heartbeat-missing-source?name=nightly-backup&glob=cm/backup/done&key=data.host&missingAfter=25h&keys=db01&back=false
                  steps:
                    - to: bus
            """;

    final MutableClock clock = new MutableClock();

    Map<String, Component> watchdog() {
        WatchdogComponent w = new WatchdogComponent();
        w.setClock(clock);
        return Map.of("watchdog", w);
    }

    static RouteBuilder backups() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:cm/backup/done/*").to("mock:backup");
            }
        };
    }

    void heartbeat(String host, long expectedReceived) {
        publish("app/web/heartbeat", host, Map.of("uptime", 1));
        WatchdogComponent w = context.getComponent("watchdog", WatchdogComponent.class);
        await().atMost(WAIT).until(() -> w.stats("heartbeats").received() == expectedReceived);
    }

    @Test
    void missingAndBackPerKey() throws Exception {
        start(memoryState(), watchdog(), RULES, watch("app/web/heartbeat/*"), backups());
        heartbeat("web01", 1);
        clock.advance(Duration.ofSeconds(20));
        heartbeat("web01", 2);
        clock.advance(Duration.ofSeconds(15));
        // web02 never reported: 35 s after the start it is missing; web01 was heard 15 s ago
        Event web02 = received("published", 1).get(0);
        assertThat(web02.type()).isEqualTo("app/web/heartbeat/missing");
        assertThat(web02.subject()).isEqualTo("web02");
        assertThat(web02.data()).containsEntry("seen", false).containsEntry("timeoutMs", 30000);

        clock.advance(Duration.ofSeconds(20));
        List<Event> got = received("published", 2);
        assertThat(got.get(1).subject()).isEqualTo("web01");
        assertThat(got.get(1).type()).isEqualTo("app/web/heartbeat/missing");
        assertThat(got.get(1).data()).containsEntry("seen", true).containsEntry("lastType", "app/web/heartbeat");

        heartbeat("web01", 3);
        got = received("published", 3);
        assertThat(got.get(2).type()).isEqualTo("app/web/heartbeat/back");
        assertThat(got.get(2).subject()).isEqualTo("web01");
        assertThat(got.get(2).source()).isEqualTo("backplane/watchdog/heartbeats");

        // the nightly backup: missing after 25 h, and no back event (back=false)
        clock.advance(Duration.ofHours(25).plusSeconds(1));
        List<Event> backup = received("backup", 1);
        assertThat(backup.get(0).type()).isEqualTo("cm/backup/done/missing");
        assertThat(backup.get(0).subject()).isEqualTo("db01");
        publish("cm/backup/done", "db01", Map.of("host", "db01"));
        WatchdogComponent w = context.getComponent("watchdog", WatchdogComponent.class);
        await().atMost(WAIT).until(() -> w.stats("nightly-backup").back() == 1);
        clock.advance(Duration.ofHours(25).plusSeconds(1));
        backup = received("backup", 2);
        assertThat(backup).extracting(Event::type).containsExactly("cm/backup/done/missing", "cm/backup/done/missing");
        assertThat(failures).isEmpty();
    }

    @Test
    void expectedKeysOnAWildcardGlobNeedATag() {
        assertThatThrownBy(() -> start(memoryState(), watchdog(), """
                - route:
                    from:
                      uri: kamelet:backplane-heartbeat-missing-source?glob=app/*/heartbeat&missingAfter=30s&keys=web01
                      steps:
                        - to: mock:x
                """)).hasStackTraceContaining("keys needs tag");
    }

    @Test
    void missingAfterIsRequired() {
        assertThatThrownBy(() -> start(memoryState(), watchdog(), """
                - route:
                    from:
                      uri: kamelet:backplane-heartbeat-missing-source?glob=app/*/heartbeat
                      steps:
                        - to: mock:x
                """)).hasStackTraceContaining("the following mandatory parameters must be provided: missingAfter");
    }
}
