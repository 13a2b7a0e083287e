package io.backplane.component.ansible;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.backplane.core.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real ansible-playbook and ansible against a real OpenSSH server. */
class AnsiblePlaybookSystemTest extends AnsibleTestSupport {

    @Test
    void eventValuesArriveAsDataAndStayInertAndPerHostCountsAreReported() throws Exception {
        Path out = dir.resolve("written.txt");
        Path marker = dir.resolve("M");
        Path lookupMarker = dir.resolve("L");
        Path playbook = write("write.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: write the value
                      ansible.builtin.copy:
                        dest: "{{ event.data.path }}"
                        content: "{{ event.data.msg }}"
                    - name: never
                      ansible.builtin.command: /bin/false
                      when: event.data.never | default(false)
                """);
        // shell syntax and Jinja: neither may run, both must arrive as the exact text
        String msg = "$(touch " + marker + "); '; rm -rf " + marker + " `touch " + marker + "` "
                     + "{{ lookup('pipe', 'touch " + lookupMarker + "') }}";
        Event cause = event("web01", Map.of("path", out.toString(), "msg", msg));

        Event result = result("ansible:write?playbook=" + playbook, cause);

        assertThat(result.type()).isEqualTo("action/ansible/write/ok");
        assertThat(result.subject()).isEqualTo("web01");
        assertThat(result.causationId()).isEqualTo(cause.id());
        assertThat(result.data()).containsEntry("playbook", playbook.toString()).containsEntry("limit", "web01")
                .containsEntry("exitCode", 0).containsEntry("failures", List.of()).containsKey("durationMs");
        assertThat(host(result, "web01")).containsEntry("ok", 1).containsEntry("changed", 1)
                .containsEntry("failed", 0).containsEntry("unreachable", 0).containsEntry("skipped", 1);
        assertThat(Files.readString(out)).isEqualTo(msg);
        assertThat(marker).doesNotExist();
        assertThat(lookupMarker).doesNotExist();
    }

    @Test
    void aFailingTaskIsAFailedResultNamingHostTaskAndMessage() throws Exception {
        Path playbook = write("fail.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: break
                      ansible.builtin.command: /bin/sh -c "echo boom >&2; exit 3"
                """);
        Event result = result("ansible:fail?playbook=" + playbook, event("web", Map.of()));

        assertThat(result.type()).isEqualTo("action/ansible/fail/failed");
        assertThat(result.data()).containsEntry("exitCode", 2).containsEntry("limit", "web");
        assertThat(error(result)).isEqualTo("web01: task 'break' failed: non-zero return code (rc=3): boom");
        assertThat(host(result, "web01")).containsEntry("failed", 1).containsEntry("ok", 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> failures = (List<Map<String, Object>>) result.data().get("failures");
        assertThat(failures).singleElement().satisfies(f -> assertThat(f).containsEntry("host", "web01")
                .containsEntry("task", "break").containsEntry("rc", 3).containsEntry("stderr", "boom"));
    }

    @Test
    void aPlaybookSyntaxErrorIsAFailedResultWithAnsiblesMessage() throws Exception {
        Path playbook = write("broken.yml", "- hosts: all\n  tasks:\n    - debug: msg=x\n  bad: [\n");
        Event result = result("ansible:broken?playbook=" + playbook, event("web01", Map.of()));

        assertThat(result.type()).isEqualTo("action/ansible/broken/failed");
        assertThat(result.data()).containsEntry("exitCode", 4).containsEntry("hosts", Map.of());
        assertThat(error(result)).startsWith("ansible-playbook exited with 4: ERROR! ")
                .contains("Syntax Error while loading YAML").contains(playbook.toString());
    }

    @Test
    void aChangedHostKeyIsNeverAcceptedTheHostIsReportedUnreachable() throws Exception {
        Path changed = writeInventory("changed-key.yml", OTHER_HOST_KEY);
        Path out = dir.resolve("must-not-exist.txt");
        Path playbook = write("touch.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ansible.builtin.command: touch {{ event.data.path }}
                """);
        Event result = result("ansible:touch?playbook=" + playbook + "&inventory=" + changed,
                event("web01", Map.of("path", out.toString())));

        assertThat(result.type()).isEqualTo("action/ansible/touch/failed");
        assertThat(host(result, "web01")).containsEntry("unreachable", 1).containsEntry("ok", 0);
        // Ansible's wording before ssh's last line depends on how it connected; ssh's verdict is what counts
        assertThat(error(result)).startsWith("web01 unreachable: ").endsWith(": Host key verification failed.");
        assertThat(result.data().get("failures").toString()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED");
        assertThat(out).doesNotExist();
    }

    @Test
    void aHangingRunIsKilledWithItsChildrenAndReportedAsTimeout() throws Exception {
        Path playbook = write("hang.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ansible.builtin.command: sleep 60
                """);
        long start = System.nanoTime();
        Instant started = Instant.now();
        Event result = result("ansible:hang?timeout=3s&playbook=" + playbook, event("web01", Map.of()));

        assertThat(result.type()).isEqualTo("action/ansible/hang/timeout");
        assertThat(error(result)).startsWith("ansible-playbook did not finish within 3s: killed it and ");
        assertThat(result.data()).doesNotContainKey("exitCode");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        // ansible-playbook and its forked workers (all have the playbook on their command line) are gone
        await().atMost(Duration.ofSeconds(10)).until(() -> processesMentioning(playbook.toString()).isEmpty());
        // and so is the shared SSH connection, which detached from the tree (its title names the run's directory)
        await().atMost(Duration.ofSeconds(10)).until(() -> processesMentioning("backplane-ansible-").stream()
                .noneMatch(p -> p.info().startInstant().map(s -> s.isAfter(started)).orElse(false)));
    }

    @Test
    void theSamePlaybookNeverRunsTwiceAtOnceOnAHostTheSecondIsRefused() throws Exception {
        Path playbook = write("slow.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ansible.builtin.command: sleep 3
                """);
        String uri = "ansible:slow?playbook=" + playbook;
        CompletableFuture<Event> first = CompletableFuture.supplyAsync(() -> result(uri, event("web01", Map.of())));
        await().atMost(Duration.ofSeconds(30)).until(() -> !processesMentioning(playbook.toString()).isEmpty());

        // the group web contains web01: it is the same host, so it is refused too
        Event second = result(uri, event("web", Map.of()));

        assertThat(second.type()).isEqualTo("action/ansible/slow/refused");
        assertThat(error(second)).isEqualTo("playbook " + playbook + " already running on web01");
        assertThat(first.get(60, TimeUnit.SECONDS).type()).isEqualTo("action/ansible/slow/ok");
    }

    @Test
    void anAdHocModuleRunReportsWhatTheModuleReturnedPerHost() {
        Event result = result("ansible:uptime?module=ansible.builtin.command&args=uptime", event("web", Map.of()));

        assertThat(result.type()).isEqualTo("action/ansible/uptime/ok");
        assertThat(result.data()).containsEntry("module", "ansible.builtin.command").containsEntry("args", "uptime")
                .containsEntry("exitCode", 0).doesNotContainKey("playbook");
        assertThat(host(result, "web01")).containsEntry("ok", 1).containsEntry("rc", 0);
        assertThat((String) host(result, "web01").get("stdout")).contains("load average");
    }

    static List<ProcessHandle> processesMentioning(String text) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false))
                .toList();
    }
}
