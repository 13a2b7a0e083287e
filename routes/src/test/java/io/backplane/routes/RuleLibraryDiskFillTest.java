package io.backplane.routes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** backplane-disk-fill-source: slope and prediction per host and mount, once per window. */
class RuleLibraryDiskFillTest extends RuleLibraryBaseTest {

    /** docs/rules.md: warn six hours before a disk is full (the beacon's events, timed by their own time). */
    static final String RULES = """
            - route:
                id: disk-filling
                from:
                  uri: kamelet:backplane-disk-fill-source
                  parameters:
                    timestamp: event
                    horizon: 6h
                  steps:
                    - to: bus
            """;

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    Event disk(String host, String mount, double used, int minutes) {
        return publish(Event.builder("monitor/beacon/" + host + "/disk").subject(host)
                .time(T0.plus(Duration.ofMinutes(minutes)).toString())
                .data(Map.of("metric", "disk", "mount", mount, "value", used, "unit", "%")).build());
    }

    @Test
    void warnsOncePerSeriesThatFillsWithinTheHorizon() throws Exception {
        start(memoryState(), Map.of(), RULES, watch("alert/**"));
        disk("web1", "/", 50, 0);
        disk("web1", "/var", 50, 0);
        disk("web2", "/", 70, 0);
        disk("web1", "/", 60, 10);
        disk("web1", "/var", 50.1, 10); // slowly: full in 83 hours
        disk("web2", "/", 60, 10);      // being cleaned up
        Event filling = disk("web1", "/", 70, 20);
        disk("web1", "/var", 50.2, 20);
        disk("web2", "/", 50, 20);
        disk("web1", "/", 80, 30);      // still filling, already warned within the window
        disk("web3", "/", 90, 0);
        disk("web3", "/", 95, 10);      // two samples are not enough
        // last: once its warning is in, everything before it was handled
        Event last = disk("web3", "/", 99, 20);
        List<Event> got = received("published", 2);
        assertThat(got).extracting(e -> e.type() + " " + e.subject())
                .containsExactly("alert/disk/filling web1", "alert/disk/filling web3");
        Event warning = got.get(0);
        assertThat(warning.causationId()).isEqualTo(filling.id());
        assertThat(warning.source()).startsWith("backplane/disk-fill/");
        Map<String, Object> data = warning.data();
        assertThat(data).containsEntry("key", "web1//").containsEntry("mount", "/").containsEntry("value", 70.0)
                .containsEntry("threshold", 100.0).containsEntry("samples", 3).containsEntry("horizon", "6h");
        // 10 % in 10 minutes: 1/60 % a second, the last 30 % in 1800 s
        assertThat((Double) data.get("slopePerSecond")).isCloseTo(1.0 / 60, within(1e-9));
        assertThat((Double) data.get("secondsToThreshold")).isCloseTo(1800.0, within(1e-6));
        assertThat(got.get(1).causationId()).isEqualTo(last.id());
        assertThat(failures).isEmpty();
    }

    @Test
    void aHorizonThatIsNotADurationIsAClearError() throws Exception {
        start(memoryState(), Map.of(), """
                - route:
                    from:
                      uri: kamelet:backplane-disk-fill-source?name=disks&horizon=soon
                      steps:
                        - to: mock:x
                """);
        disk("web1", "/", 50, 0);
        assertThat(failure("soon").getMessage()).isEqualTo("backplane-disk-fill-source disks: "
                                                          + "horizon 'soon' is not a duration (e.g. 6h, 90m, 1h30m, PT6H)");
        assertThat(mock("x").getReceivedCounter()).isZero();
    }

    @Test
    void aBadTimestampStopsTheStart() {
        assertThatThrownBy(() -> start(memoryState(), Map.of(), """
                - route:
                    from:
                      uri: kamelet:backplane-disk-fill-source?timestamp=sometimes
                      steps:
                        - to: mock:x
                """)).hasStackTraceContaining("timestamp=sometimes is not one of arrival, event");
    }
}
