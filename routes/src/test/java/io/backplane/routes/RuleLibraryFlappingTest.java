package io.backplane.routes;

import io.backplane.test.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backplane.component.dedupe.DedupeComponent;
import io.backplane.core.Event;
import org.apache.camel.Component;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** backplane-flapping-source: N changes of a key within a window make one flapping event. */
class RuleLibraryFlappingTest extends RuleLibraryBaseTest {

    /** docs/rules.md: four probe state changes of a host within ten minutes. */
    static final String RULES = """
            - route:
                id: probe-flapping
                from:
                  uri: kamelet:backplane-flapping-source
                  parameters:
                    name: probes
                  steps:
                    - to: bus
            """;

    final MutableClock clock = new MutableClock();

    Map<String, Component> dedupe() {
        DedupeComponent d = new DedupeComponent();
        d.setClock(clock);
        return Map.of("dedupe", d);
    }

    Event probe(String host, String state) {
        return publish("monitor/probe/web/" + state, host, Map.of("probe", "web", "state", state));
    }

    DedupeComponent component() {
        return context.getComponent("dedupe", DedupeComponent.class);
    }

    @Test
    void fourChangesWithinTheWindowAreOneFlappingEvent() throws Exception {
        start(memoryState(), dedupe(), RULES, watch("monitor/probe/*/flapping"));
        probe("web01", "down");
        probe("web01", "up");
        probe("web02", "down");
        probe("web01", "down");
        probe("web02", "up");
        Event fourth = probe("web01", "up");
        List<Event> got = received("published", 1);
        Event flapping = got.get(0);
        assertThat(flapping.type()).isEqualTo("monitor/probe/web/flapping");
        assertThat(flapping.subject()).isEqualTo("web01");
        assertThat(flapping.causationId()).isEqualTo(fourth.id());
        assertThat(flapping.source()).isEqualTo("backplane/flapping/probes");
        assertThat(flapping.data()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "key", "web01", "changes", 4, "window", "10m", "lastType", "monitor/probe/web/up"));

        // web01 keeps flapping: four more changes within the window are not reported again
        for (String s : List.of("down", "up", "down", "up")) {
            probe("web01", s);
        }
        // the published flapping event matches the glob too, but is not counted as a change
        await().atMost(WAIT).until(() -> component().stats("probes-changes").passed()
                                          + component().stats("probes-changes").suppressed() == 10);
        assertThat(component().stats("probes-once").suppressed()).isEqualTo(1);
        assertThat(mock("published").getReceivedCounter()).isEqualTo(1);

        // after the window, flapping again is reported again
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        for (String s : List.of("down", "up", "down", "up")) {
            probe("web01", s);
        }
        assertThat(received("published", 2)).extracting(Event::subject).containsExactly("web01", "web01");
        assertThat(failures).isEmpty();
    }

    @Test
    void aCountOutOfRangeStopsTheStart() {
        assertThatThrownBy(() -> start(memoryState(), dedupe(), """
                - route:
                    from:
                      uri: kamelet:backplane-flapping-source?count=0
                      steps:
                        - to: mock:x
                """)).hasStackTraceContaining("mode=count needs count between 1 and 10000, was 0");
    }
}
