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

/** backplane-once-within-source: the first event per key within a window (docs/rules.md, "Once per window"). */
class RuleLibraryOnceWithinTest extends RuleLibraryBaseTest {

    /** docs/rules.md: page once per alert and host every 5 minutes. */
    static final String RULES = """
            - route:
                id: page-once-per-alert-and-host
                from:
                  uri: kamelet:backplane-once-within-source
                  parameters:
                    glob: monitor/**/firing
                    key: subject,type
                    window: 5m
                  steps:
                    - to: bus:notify/page
            """;

    final MutableClock clock = new MutableClock();

    Map<String, Component> dedupe() {
        DedupeComponent d = new DedupeComponent();
        d.setClock(clock);
        return Map.of("dedupe", d);
    }

    static Event alert(String name, String host) {
        return Event.builder("monitor/alertmanager/" + name + "/firing").subject(host)
                .data(Map.of("labels", Map.of("alertname", name))).build();
    }

    @Test
    void firstEventPerKeyWithinTheWindow() throws Exception {
        start(memoryState(), dedupe(), RULES, watch("notify/**"));
        Event first = publish(alert("HighLoad", "web01"));
        publish(alert("HighLoad", "web01"));
        publish(alert("HighLoad", "web02"));
        publish(alert("HighLoad", "web01"));
        // last: the bus dispatches in order, so once its page is in, every repeat before it was dropped
        publish(alert("DiskFull", "web01"));
        List<Event> pages = received("published", 3);
        assertThat(pages).extracting(e -> e.subject() + " " + e.type())
                .containsExactly("web01 notify/page", "web02 notify/page", "web01 notify/page");
        assertThat(pages.get(0).causationId()).isEqualTo(first.id());
        assertThat(pages.get(0).data()).isEqualTo(first.data());

        // five minutes later the same alert pages again
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        Event again = publish(alert("HighLoad", "web01"));
        pages = received("published", 4);
        assertThat(pages).hasSize(4);
        assertThat(pages.get(3).causationId()).isEqualTo(again.id());
        assertThat(failures).isEmpty();
    }

    @Test
    void aBadWindowStopsTheStart() {
        assertThatThrownBy(() -> start(memoryState(), dedupe(), """
                - route:
                    from:
                      uri: kamelet:backplane-once-within-source?glob=monitor/**&window=soon
                      steps:
                        - to: mock:x
                """)).hasStackTraceContaining("window 'soon' is not a duration");
    }

    @Test
    void theGlobIsRequired() {
        assertThatThrownBy(() -> start(memoryState(), dedupe(), """
                - route:
                    from:
                      uri: kamelet:backplane-once-within-source?window=5m
                      steps:
                        - to: mock:x
                """)).hasStackTraceContaining("the following mandatory parameters must be provided: glob");
    }
}
