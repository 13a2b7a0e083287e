package io.backplane.routes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.backplane.component.state.Fact;
import io.backplane.component.state.StateComponent;
import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** backplane-threshold-source: one event per crossing, per key, with hysteresis; the state is a fact. */
class RuleLibraryThresholdTest extends RuleLibraryBaseTest {

    /** docs/rules.md: CPU busy over 90 % is high until it is back at 75 % or under. */
    static final String RULES = """
            - route:
                id: cpu-high
                from:
                  uri: kamelet:backplane-threshold-source
                  parameters:
                    glob: app/*/cpu
                    name: cpu
                    value: data.busy
                    above: 90
                    below: 75
                  steps:
                    - to: bus
            """;

    @TempDir
    Path dir;

    Event cpu(String host, Object busy) {
        return publish("app/web/cpu", host, busy == null ? Map.of() : Map.of("busy", busy));
    }

    Fact fact(String key) {
        return context.getComponent("state", StateComponent.class).store().get(key);
    }

    @Test
    void oneEventPerCrossingPerKey() throws Exception {
        start(memoryState(), Map.of(), RULES, watch("app/*/cpu/*"));
        cpu("web01", 50);
        Event high = cpu("web01", 95);
        cpu("web02", 99);
        cpu("web01", 97);      // still high: nothing
        cpu("web01", "lots");  // not a number: skipped
        cpu("web01", null);    // no value: skipped
        cpu("web01", 80);      // between below and above: nothing (hysteresis)
        Event normal = cpu("web01", 70);
        cpu("web01", 72);
        // a numeric string counts; last, so once it is in every event before it was handled
        Event again = cpu("web01", "91");
        List<Event> got = received("published", 4);
        assertThat(got).extracting(e -> e.subject() + " " + e.type()).containsExactly(
                "web01 app/web/cpu/high", "web02 app/web/cpu/high", "web01 app/web/cpu/normal",
                "web01 app/web/cpu/high");
        assertThat(got.get(0).causationId()).isEqualTo(high.id());
        assertThat(got.get(0).data()).isEqualTo(Map.of("busy", 95));
        assertThat(got.get(0).source()).isEqualTo("backplane/threshold/cpu");
        assertThat(got.get(2).causationId()).isEqualTo(normal.id());
        assertThat(got.get(3).causationId()).isEqualTo(again.id());
        assertThat(fact("threshold/cpu/web01").value()).isEqualTo("high");
        assertThat(fact("threshold/cpu/web02").value()).isEqualTo("high");
        assertThat(failures).isEmpty();
    }

    @Test
    void theStateSurvivesARestart() throws Exception {
        Properties props = memoryState();
        props.put("backplane.state.file", dir.resolve("state.json").toString());
        CamelContext first = start(props, Map.of(), RULES, watch("app/*/cpu/*"));
        cpu("web01", 95);
        assertThat(received("published", 1)).extracting(Event::type).containsExactly("app/web/cpu/high");
        first.stop();

        start(props, Map.of(), RULES, watch("app/*/cpu/*"));
        cpu("web01", 96); // still high after the restart: nothing
        cpu("web01", 70);
        List<Event> got = received("published", 1);
        assertThat(got).extracting(Event::type).containsExactly("app/web/cpu/normal");
        assertThat(fact("threshold/cpu/web01")).isNull();
    }

    @Test
    void belowAboveAboveIsAClearError() throws Exception {
        start(memoryState(), Map.of(), """
                - route:
                    from:
                      uri: kamelet:backplane-threshold-source?glob=app/*/cpu&name=x&value=data.busy&above=75&below=90
                      steps:
                        - to: mock:x
                """);
        cpu("web01", 95);
        assertThat(failure("below").getMessage())
                .isEqualTo("backplane-threshold-source x: below (90) must not be greater than above (75)");
        assertThat(mock("x").getReceivedCounter()).isZero();
    }

    @Test
    void aThresholdThatIsNotANumberIsAClearError() throws Exception {
        start(memoryState(), Map.of(), """
                - route:
                    from:
                      uri: kamelet:backplane-threshold-source?glob=app/*/cpu&name=x&value=data.busy&above=high&below=75
                      steps:
                        - to: mock:x
                """);
        cpu("web01", 95);
        assertThat(failure("must be numbers").getMessage())
                .isEqualTo("backplane-threshold-source x: above ('high') and below ('75') must be numbers");
    }
}
