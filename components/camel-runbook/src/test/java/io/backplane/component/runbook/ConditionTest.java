package io.backplane.component.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import org.junit.jupiter.api.Test;

/** The when: language on its own: what it reads, how it compares, and the errors it gives. */
class ConditionTest {

    private final Map<String, Map<String, Object>> steps = new HashMap<>();
    private final Event trigger = Event.builder("monitor/probe/web/down").subject("web01")
            .data(Map.of("service", "nginx", "load", 2.5, "labels", Map.of("team", "ops"))).build();

    private final Condition.Scope scope = new Condition.Scope() {
        @Override
        public Map<String, Object> step(String id) {
            return steps.get(id);
        }

        @Override
        public Event trigger() {
            return trigger;
        }
    };

    ConditionTest() {
        Map<String, Object> check = new HashMap<>();
        check.put("outcome", "failed");
        check.put("exitCode", 3);
        check.put("stdout", "Filesystem 1024-blocks Used\n/dev/sda1 100 97 97% /\n");
        check.put("error", "exit code 3");
        check.put("lines", List.of("a", "b"));
        check.put("detail", Map.of("code", 7L));
        steps.put("check-disk", check);
        steps.put("skipped-one", Map.of("outcome", "skipped", "skipped", true));
    }

    private boolean test(String text) {
        return Condition.parse(text).test(scope);
    }

    @Test
    void comparesOutcomesAndNumbers() {
        assertThat(test("steps.check-disk.outcome == 'failed'")).isTrue();
        assertThat(test("steps.check-disk.outcome == \"failed\"")).isTrue();
        assertThat(test("steps.check-disk.outcome != 'ok'")).isTrue();
        assertThat(test("steps.check-disk.exitCode == 3")).isTrue();
        assertThat(test("steps.check-disk.exitCode == 3.0")).isTrue();
        assertThat(test("steps.check-disk.exitCode != 0")).isTrue();
        assertThat(test("steps.check-disk.exitCode > 2 and steps.check-disk.exitCode <= 3")).isTrue();
        assertThat(test("steps.check-disk.exitCode < 3 or steps.check-disk.exitCode >= 4")).isFalse();
        assertThat(test("steps.check-disk.detail.code == 7")).isTrue();
        assertThat(test("event.data.load > 2")).isTrue();
        assertThat(test("event.data.load > -1")).isTrue();
        // a text is not a number: ordering is false, not an error
        assertThat(test("steps.check-disk.outcome > 1")).isFalse();
        assertThat(test("steps.check-disk.exitCode == '3'")).isFalse();
    }

    @Test
    void inContainsAndLogic() {
        assertThat(test("steps.check-disk.outcome in ['failed', 'timeout']")).isTrue();
        assertThat(test("steps.check-disk.outcome in ['ok']")).isFalse();
        assertThat(test("steps.check-disk.exitCode in [1, 2, 3]")).isTrue();
        assertThat(test("steps.check-disk.outcome in []")).isFalse();
        assertThat(test("steps.check-disk.stdout contains '97%'")).isTrue();
        assertThat(test("steps.check-disk.lines contains 'b'")).isTrue();
        assertThat(test("steps.check-disk.exitCode contains 3")).isFalse();
        assertThat(test("not steps.check-disk.outcome == 'ok'")).isTrue();
        assertThat(test("not (steps.check-disk.outcome == 'failed' and event.subject == 'web01')")).isFalse();
        // and binds tighter than or
        assertThat(test("event.subject == 'x' and event.subject == 'y' or event.data.service == 'nginx'")).isTrue();
        assertThat(test("event.subject == 'x' and (event.subject == 'y' or event.data.service == 'nginx')")).isFalse();
        assertThat(test("event.data.labels.team == 'ops'")).isTrue();
        assertThat(test("event.data.service == 'it\\'s'")).isFalse();
    }

    @Test
    void missingValuesAreNullNeverErrors() {
        assertThat(test("steps.skipped-one.outcome == 'skipped'")).isTrue();
        assertThat(test("steps.skipped-one.exitCode == null")).isTrue();
        assertThat(test("steps.skipped-one.exitCode == 0")).isFalse();
        assertThat(test("steps.not-reached.outcome == null")).isTrue();
        assertThat(test("event.data.nothing.deeper == null")).isTrue();
        assertThat(test("steps.check-disk.exitCode.deeper == null")).isTrue();
        assertThat(Condition.parse("steps.check-disk.outcome == 'ok' or steps.skipped-one.exitCode == 0").steps())
                .containsExactly("check-disk", "skipped-one");
    }

    @Test
    void syntaxErrorsSayWhereAndWhat() {
        assertThatThrownBy(() -> Condition.parse("")).hasMessage("the condition is empty");
        assertThatThrownBy(() -> Condition.parse("steps.a.outcome = 'ok'"))
                .hasMessage("'=' at character 17 of 'steps.a.outcome = 'ok'': compare with '=='");
        assertThatThrownBy(() -> Condition.parse("steps.a.outcome == 'ok' && steps.b.outcome == 'ok'"))
                .hasMessage("'&' at character 25 of 'steps.a.outcome == 'ok' && steps.b.outcome == 'ok'': write and, "
                            + "or, not (or != for 'not equal')");
        assertThatThrownBy(() -> Condition.parse("steps.a.outcome == 'ok"))
                .hasMessage("unclosed ' at character 20 of 'steps.a.outcome == 'ok'");
        assertThatThrownBy(() -> Condition.parse("steps.a.outcome =="))
                .hasMessage("expected a value after '==' at character 19 of 'steps.a.outcome =='");
        assertThatThrownBy(() -> Condition.parse("steps.a.outcome"))
                .hasMessage("'steps.a.outcome' is a value, not a condition: compare it, for example steps.a.outcome "
                            + "== 'ok' (at character 1 of 'steps.a.outcome')");
        assertThatThrownBy(() -> Condition.parse("steps.a == 'ok'"))
                .hasMessage("'steps.a' names no field: write steps.<id>.outcome, steps.<id>.exitCode, ... (at "
                            + "character 1 of 'steps.a == 'ok'')");
        assertThatThrownBy(() -> Condition.parse("outcome == 'ok'"))
                .hasMessage("unknown name 'outcome': conditions read steps.<id>.<field> and event.<path>, and text "
                            + "values are quoted ('ok') (at character 1 of 'outcome == 'ok'')");
        assertThatThrownBy(() -> Condition.parse("steps.a.outcome in 'ok'"))
                .hasMessage("'in' needs a list such as ['failed', 'timeout'] at character 24 of "
                            + "'steps.a.outcome in 'ok''");
        assertThatThrownBy(() -> Condition.parse("(steps.a.outcome == 'ok'"))
                .hasMessage("expected ')' at character 25 of '(steps.a.outcome == 'ok''");
        assertThatThrownBy(() -> Condition.parse("steps.a.outcome == 'ok' steps.b.outcome == 'ok'"))
                .hasMessage("unexpected 'steps.b.outcome' at character 25 of 'steps.a.outcome == 'ok' "
                            + "steps.b.outcome == 'ok''");
        assertThatThrownBy(() -> Condition.parse("steps.a.outcome in ['ok', steps.b.outcome]"))
                .hasMessageStartingWith("a list holds values ('text', numbers, true, false, null)");
        assertThatThrownBy(() -> Condition.parse("steps..outcome == 'ok'"))
                .hasMessageStartingWith("'steps..outcome' has an empty part");
        assertThatThrownBy(() -> Condition.parse("steps.a.exitCode == 1.2.3"))
                .hasMessage("'1.2.3' at character 21 of 'steps.a.exitCode == 1.2.3' is not a number");
        assertThatThrownBy(() -> Condition.parse("and steps.a.outcome == 'ok'"))
                .hasMessageStartingWith("'and' needs something before it");
        assertThatThrownBy(() -> Condition.parse("steps.a.outcome == 'ok' ; rm -rf /"))
                .hasMessageStartingWith("unexpected ';' at character 25");
    }
}
