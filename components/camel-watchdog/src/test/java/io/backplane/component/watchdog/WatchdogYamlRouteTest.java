package io.backplane.component.watchdog;

import java.time.Duration;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The YAML routes of docs/components/watchdog.md and docs/rules/watchdog.md, as written there. */
class WatchdogYamlRouteTest extends WatchdogTestSupport {

    static final String HEARTBEATS = """
            - route:
                id: heartbeat-watchdog
                from:
                  uri: watchdog:heartbeats
                  parameters:
                    glob: app/*/heartbeat
                    timeout: 30s
                    keys: web01,web02
                    tag: app/web/heartbeat
                  steps:
                    - to: bus
            - route:
                id: page-on-missing-heartbeat
                from:
                  uri: bus:app/*/heartbeat/missing
                  steps:
                    - log: "${header.CamelCloudEventSubject} silent for ${body[data][silentForMs]} ms"
                    - to: bus:notify/page
            """;

    static final String NIGHTLY_BACKUP = """
            - route:
                id: backup-watchdog
                from:
                  uri: watchdog:nightly-backup?glob=cm/backup/done&key=data.host&timeout=25h&keys=db01,db02
                  steps:
                    - to: bus
            """;

    private void load(String yaml) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("rules.yaml", yaml));
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:app/*/heartbeat/*").to("mock:states");
                from("bus:cm/backup/done/*").to("mock:backups");
                from("bus:notify/**").to("mock:notify");
            }
        });
    }

    @Test
    void heartbeats() throws Exception {
        load(HEARTBEATS);
        MockEndpoint states = mock("states");
        MockEndpoint notify = mock("notify");
        beat("heartbeats", "app/web/heartbeat", "web01");
        beat("heartbeats", "app/api/heartbeat", "api01");
        clock.advance(Duration.ofSeconds(20));
        beat("heartbeats", "app/api/heartbeat", "api01");
        clock.advance(Duration.ofSeconds(10));
        tick(); // web01 and web02 (never seen) silent for 30s
        await().atMost(WAIT).until(() -> states.getReceivedCounter() == 2 && notify.getReceivedCounter() == 2);
        // stalest first: web02 was expected from the start, web01 reported once at the same instant
        assertThat(summary(states)).containsExactly("web02 app/web/heartbeat/missing",
                "web01 app/web/heartbeat/missing");
        assertThat(events(notify)).extracting(e -> e.subject() + " " + e.type())
                .containsExactly("web02 notify/page", "web01 notify/page");
        assertThat(events(notify).get(0).causationId()).isEqualTo(events(states).get(0).id());

        beat("heartbeats", "app/web/heartbeat", "web02");
        await().atMost(WAIT).until(() -> states.getReceivedCounter() == 3);
        assertThat(summary(states).get(2)).isEqualTo("web02 app/web/heartbeat/back");
    }

    @Test
    void nightlyBackup() throws Exception {
        load(NIGHTLY_BACKUP);
        MockEndpoint backups = mock("backups");
        template.sendBody("bus:cm/backup/done",
                Event.builder("cm/backup/done").subject("backup-job").data(Map.of("host", "db01")).build());
        await().atMost(WAIT).until(() -> watchdog.stats("nightly-backup").received() == 1);
        clock.advance(Duration.ofHours(25));
        tick();
        await().atMost(WAIT).until(() -> backups.getReceivedCounter() == 2);
        assertThat(summary(backups)).containsExactly("db02 cm/backup/done/missing", "db01 cm/backup/done/missing");
    }
}
