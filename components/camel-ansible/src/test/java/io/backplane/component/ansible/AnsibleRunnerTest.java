package io.backplane.component.ansible;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the callback's report becomes result data: counts, bounded texts, the one-line error. */
class AnsibleRunnerTest {

    @Test
    void manyLargeFailuresStayFarBelowTheEventSizeLimit() {
        List<Map<String, Object>> failures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            failures.add(Map.of("host", "web" + i, "task", "t", "msg", "x".repeat(100_000), "rc", 1));
        }
        List<Map<String, Object>> bounded = AnsibleRunner.bounded(failures, 16_384);

        assertThat(bounded).hasSize(AnsibleRunner.MAX_FAILURES);
        assertThat(bounded.get(0)).containsEntry("host", "web0").containsEntry("rc", 1);
        assertThat((String) bounded.get(0).get("msg")).hasSizeLessThan(16_384 / AnsibleRunner.MAX_FAILURES + 60)
                .endsWith("more characters]");
    }

    @Test
    void moduleOutputPerHostSharesTheBudgetAndCountsAreRenamed() {
        Map<String, Object> stats = new LinkedHashMap<>();
        Map<String, Object> last = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            stats.put("web" + i, Map.of("ok", 1, "changed", 0, "failures", 0, "unreachable", 0, "skipped", 0,
                    "rescued", 0, "ignored", 0));
            last.put("web" + i, Map.of("rc", 0, "stdout", "y".repeat(50_000), "msg", ""));
        }
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> hosts = (Map<String, Map<String, Object>>) (Map<String, ?>)
                AnsibleRunner.hosts(Map.of("stats", stats, "last", last), true, 16_384);

        assertThat(hosts).hasSize(500);
        assertThat(hosts.get("web7")).containsEntry("ok", 1).containsEntry("failed", 0).containsEntry("rc", 0)
                .doesNotContainKey("failures");
        assertThat((String) hosts.get("web7").get("stdout")).hasSizeLessThan(AnsibleRunner.MIN_SHARE + 60);
        // a playbook run reports counts only
        assertThat(AnsibleRunner.hosts(Map.of("stats", stats, "last", last), false, 16_384).get("web7"))
                .isEqualTo(Map.of("ok", 1, "changed", 0, "failed", 0, "unreachable", 0, "skipped", 0, "rescued", 0,
                        "ignored", 0));
    }

    @Test
    void theErrorIsOneSentenceFromTheFirstFailureOrAnsiblesErrorLine() {
        assertThat(AnsibleRunner.failureMessage("ansible-playbook", 4, List.of(
                Map.of("host", "web01", "status", "unreachable",
                        "msg", "Failed to connect to the host via ssh: @@@@\n@ WARNING @\nHost key verification failed.")),
                "")).isEqualTo("web01 unreachable: Failed to connect to the host via ssh: Host key verification failed.");
        assertThat(AnsibleRunner.failureMessage("ansible-playbook", 2, List.of(
                Map.of("host", "web01", "task", "a", "status", "failed", "msg", "no"),
                Map.of("host", "web02", "task", "a", "status", "failed", "msg", "no")), ""))
                .isEqualTo("web01: task 'a' failed: no (and 1 more failures)");
        assertThat(AnsibleRunner.failureMessage("ansible", 1, List.of(), "")).isEqualTo("ansible exited with 1");
        assertThat(AnsibleRunner.failureMessage("ansible", 1, List.of(), "[WARNING]: x\nERROR! bad\nmore\n"))
                .isEqualTo("ansible exited with 1: ERROR! bad\nmore");
    }

    @Test
    void reservedKeysAreFoundAnywhereInTheEvent() {
        Event clean = Event.builder("a/b").data(Map.of("list", List.of(Map.of("k", "__ansible_unsafe")))).build();
        Event nested = Event.builder("a/b").data(Map.of("list", List.of(Map.of("__ansible_unsafe", "v")))).build();

        assertThat(AnsibleRunner.reservedKey(clean)).isNull();
        assertThat(AnsibleRunner.reservedKey(nested)).isEqualTo("__ansible_unsafe");
    }
}
