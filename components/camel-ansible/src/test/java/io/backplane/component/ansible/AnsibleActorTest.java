package io.backplane.component.ansible;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What is decided before Ansible runs (targets, refusals, the command line, the environment, the extra-vars file,
 * locks, options), checked with a stand-in script for ansible-playbook that records how it was called, so a refusal
 * provably ran nothing. The real program is exercised in {@link AnsiblePlaybookSystemTest}.
 */
class AnsibleActorTest extends AnsibleTestSupport {

    private Path playbook;
    private Path ran;
    private Path fake;

    @BeforeEach
    void stubs(@TempDir Path testDir) throws Exception {
        playbook = write("site.yml", "- hosts: all\n  gather_facts: false\n  tasks: []\n");
        ran = testDir.resolve("ran");
        // records its arguments (one per line), its ANSIBLE_ environment, and the files it was given
        fake = script("fake-ansible-playbook", """
                out=%s
                mkdir -p "$out"
                for a in "$@"; do printf '%%s\\n' "$a"; done > "$out/args"
                env | grep -E '^(ANSIBLE|BACKPLANE)_' | sort > "$out/env"
                for a in "$@"; do case "$a" in @*) cp "${a#@}" "$out/extra-vars.json";; esac; done
                cp "$(dirname "$BACKPLANE_ANSIBLE_RESULT")/known_hosts" "$out/known_hosts"
                echo 'a warning on stderr' >&2
                """.formatted(ran));
    }

    private String uri(String name, String options) {
        return "ansible:" + name + "?playbook=" + playbook + "&ansiblePlaybookBinary=" + fake + options;
    }

    @Test
    void theCommandIsAListOfFixedWordsAndTheEventGoesInAnUnsafeExtraVarsFile() throws Exception {
        Event cause = event("web01", Map.of("service", "nginx; rm -rf /", "nested", Map.of("n", 1)));
        Event result = result(uri("site", ""), cause);

        assertThat(result.type()).isEqualTo("action/ansible/site/ok");
        List<String> args = Files.readAllLines(ran.resolve("args"));
        assertThat(args).hasSize(7);
        assertThat(args.subList(0, 4)).containsExactly("-i", inventory.toString(), "--limit", "web01");
        assertThat(args.get(4)).isEqualTo("--extra-vars");
        assertThat(args.get(5)).startsWith("@").endsWith("/event.json");
        assertThat(args.get(6)).isEqualTo(playbook.toString());

        Map<String, Object> vars = EventCodec.readObject(Files.readAllBytes(ran.resolve("extra-vars.json")), "vars");
        assertThat(vars).containsOnlyKeys("event");
        @SuppressWarnings("unchecked")
        Map<String, Object> wrapped = (Map<String, Object>) ((Map<String, Object>) vars.get("event")).get("__ansible_unsafe");
        assertThat(wrapped).containsEntry("id", cause.id()).containsEntry("subject", "web01")
                .containsEntry("data", Map.of("service", "nginx; rm -rf /", "nested", Map.of("n", 1)));

        assertThat(Files.readAllLines(ran.resolve("env"))).contains("ANSIBLE_HOST_KEY_CHECKING=True",
                "ANSIBLE_STDOUT_CALLBACK=backplane_json", "ANSIBLE_NOCOLOR=True", "ANSIBLE_RETRY_FILES_ENABLED=False",
                "ANSIBLE_PIPELINING=True", "ANSIBLE_LOAD_CALLBACK_PLUGINS=True")
                .anyMatch(l -> l.startsWith("ANSIBLE_SSH_ARGS=-o ControlMaster=auto -o ControlPersist=5s "
                                            + "-o StrictHostKeyChecking=yes -o GlobalKnownHostsFile=/dev/null "
                                            + "-o UserKnownHostsFile='"))
                .anyMatch(l -> l.startsWith("ANSIBLE_CONFIG=") && l.endsWith("/ansible.cfg"))
                .anyMatch(l -> l.startsWith("ANSIBLE_LOCAL_TEMP=/"));
        assertThat(Files.readAllLines(ran.resolve("known_hosts")))
                .containsExactly("[127.0.0.1]:" + sshd.port() + " " + sshd.hostKeyLine());
        // stderr is reported; the run's private directory is gone
        assertThat(result.data()).containsEntry("stderr", "a warning on stderr\n").containsEntry("hosts", Map.of());
        Path runDir = Path.of(args.get(5).substring(1)).getParent();
        assertThat(runDir).doesNotExist();
    }

    @Test
    void inheritedAnsibleSettingsDoNotReachTheProcess() throws Exception {
        // surefire starts this JVM with ANSIBLE_HOST_KEY_CHECKING=False and ANSIBLE_BACKPLANE_TEST_INHERITED=yes
        assertThat(System.getenv("ANSIBLE_HOST_KEY_CHECKING")).isEqualTo("False");
        Event result = result(uri("site", "&sshControlPersist=0&pipelining=false"), event("web01", Map.of()));

        assertThat(result.type()).isEqualTo("action/ansible/site/ok");
        List<String> env = Files.readAllLines(ran.resolve("env"));
        assertThat(env).contains("ANSIBLE_PIPELINING=False", "ANSIBLE_HOST_KEY_CHECKING=True")
                .doesNotContain("ANSIBLE_HOST_KEY_CHECKING=False")
                .noneMatch(l -> l.startsWith("ANSIBLE_BACKPLANE_TEST_INHERITED"))
                .anyMatch(l -> l.startsWith("ANSIBLE_SSH_ARGS=-o ControlMaster=no -o StrictHostKeyChecking=yes"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "nope", "web01,all", "web01 --help", "all:!web01", "web*", "--list-hosts", "../web01" })
    void aLimitThatIsNotExactlyOneHostOrGroupIsRefusedAndNothingRuns(String subject) {
        Event result = result(uri("site", ""), event(subject, Map.of()));

        assertThat(result.type()).isEqualTo("action/ansible/site/refused");
        assertThat(error(result)).contains("is neither a host nor a group of the inventory " + inventory);
        assertThat(ran).doesNotExist();
    }

    @Test
    void anEventWithoutASubjectIsRefusedUnlessTheLimitNamesTheHosts() {
        Event noSubject = Event.builder("app/deploy").data(Map.of("host", "web01")).build();

        Event refused = result(uri("site", ""), noSubject);
        assertThat(refused.type()).isEqualTo("action/ansible/site/refused");
        assertThat(error(refused)).isEqualTo("cannot choose the hosts (limit ${subject}): the event has no value "
                                             + "for ${subject}");
        assertThat(ran).doesNotExist();

        Event ok = result(uri("site", "&limit=${data.host}"), noSubject);
        assertThat(ok.type()).isEqualTo("action/ansible/site/ok");
        assertThat(ok.subject()).isEqualTo("web01");
    }

    @Test
    void aHostWithoutHostKeysOrAnEmptyGroupIsRefused() {
        Event noKeys = result(uri("site", ""), event("nokeys", Map.of()));
        assertThat(noKeys.type()).isEqualTo("action/ansible/site/refused");
        assertThat(error(noKeys)).isEqualTo("host 'nokeys' has no backplane_host_keys in the inventory " + inventory
                                            + ": Backplane verifies host keys and will not connect to it");

        Event empty = result(uri("site", ""), event("empty", Map.of()));
        assertThat(error(empty)).isEqualTo("group 'empty' of the inventory " + inventory + " has no hosts");
        assertThat(ran).doesNotExist();
    }

    @Test
    void anEventCarryingAnsiblesReservedKeysIsRefused() {
        Event result = result(uri("site", ""), event("web01", Map.of("x", List.of(Map.of("__ansible_vault", "$ANSIBLE_VAULT;1.1")))));

        assertThat(result.type()).isEqualTo("action/ansible/site/refused");
        assertThat(error(result)).isEqualTo("the event contains the key '__ansible_vault', which Ansible would read "
                                            + "as a vaulted or special value");
        assertThat(ran).doesNotExist();
    }

    @Test
    void aBodyThatIsNotAnEventIsRefused() {
        Event result = result(uri("site", ""), "not json");

        assertThat(result.type()).isEqualTo("action/ansible/site/refused");
        assertThat(error(result)).startsWith("the message is not an event: ");
        assertThat(ran).doesNotExist();
    }

    @Test
    void aMissingProgramIsAFailedResultSayingWhereItWasLookedFor() {
        Event result = result("ansible:site?playbook=" + playbook + "&ansiblePlaybookBinary=/nonexistent/ansible-playbook",
                event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ansible/site/failed");
        assertThat(error(result)).isEqualTo("ansible-playbook not found at /nonexistent/ansible-playbook");

        Event onPath = result("ansible:ls?module=ansible.builtin.ping&ansibleBinary=no-such-ansible-binary",
                event("web01", Map.of()));
        assertThat(error(onPath)).startsWith("ansible not found on PATH (");
    }

    @Test
    void anUnreadableInventoryIsAFailedResult() throws Exception {
        Path broken = write("broken-inventory.yml", "all:\n  hosts: [\n");
        Event result = result(uri("site", "&inventory=" + broken), event("web01", Map.of()));

        assertThat(result.type()).isEqualTo("action/ansible/site/failed");
        assertThat(error(result)).startsWith("inventory " + broken + " is not valid YAML");
        assertThat(ran).doesNotExist();
    }

    @Test
    void throwOnFailureFailsTheExchangeWithTheResultAttached() {
        Exchange exchange = send("ansible:site?playbook=" + playbook + "&throwOnFailure=true"
                                 + "&ansiblePlaybookBinary=/nonexistent/ansible-playbook", event("web01", Map.of()));

        assertThat(exchange.getException()).isInstanceOf(AnsibleActionException.class)
                .hasMessage("action/ansible/site/failed: ansible-playbook not found at /nonexistent/ansible-playbook");
        Event attached = ((AnsibleActionException) exchange.getException()).getResult();
        assertThat(attached.type()).isEqualTo("action/ansible/site/failed");
        assertThat(exchange.getMessage().getBody()).isSameAs(attached);
    }

    @Test
    void aNonZeroExitWithoutFailedTasksReportsTheExitCodeAndAnsiblesError() throws Exception {
        Path failing = script("failing-ansible-playbook", "echo '[WARNING]: noise' >&2; echo 'ERROR! the reason' >&2; exit 5");
        Event result = result("ansible:site?playbook=" + playbook + "&ansiblePlaybookBinary=" + failing,
                event("web01", Map.of()));

        assertThat(result.type()).isEqualTo("action/ansible/site/failed");
        assertThat(result.data()).containsEntry("exitCode", 5);
        assertThat(error(result)).isEqualTo("ansible-playbook exited with 5: ERROR! the reason");
    }

    @Test
    void withLockWaitASecondActionWaitsForTheFirstInsteadOfBeingRefused() throws Exception {
        Path log = dir.resolve("serial.log");
        Files.deleteIfExists(log);
        Path slow = script("slow-ansible-playbook", "echo start >> " + log + "; sleep 1; echo end >> " + log);
        String uri = "ansible:site?playbook=" + playbook + "&lockWait=60s&ansiblePlaybookBinary=" + slow;

        CompletableFuture<Event> first = CompletableFuture.supplyAsync(() -> result(uri, event("web01", Map.of())));
        CompletableFuture<Event> second = CompletableFuture.supplyAsync(() -> result(uri, event("web", Map.of())));

        assertThat(first.get(30, TimeUnit.SECONDS).type()).isEqualTo("action/ansible/site/ok");
        assertThat(second.get(30, TimeUnit.SECONDS).type()).isEqualTo("action/ansible/site/ok");
        assertThat(Files.readAllLines(log)).containsExactly("start", "end", "start", "end");
    }

    @Test
    void lockFalseLetsRunsOverlap() throws Exception {
        Path started = dir.resolve("overlap");
        Files.createDirectories(started);
        // each run announces itself, then waits (bounded) until the other one has too
        Path both = script("both-ansible-playbook", "touch " + started + "/$$; i=0; while [ $(ls " + started
                                                    + " | wc -l) -lt 2 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done;"
                                                    + " [ $(ls " + started + " | wc -l) -ge 2 ]");
        String uri = "ansible:site?playbook=" + playbook + "&lock=false&ansiblePlaybookBinary=" + both;

        CompletableFuture<Event> first = CompletableFuture.supplyAsync(() -> result(uri, event("web01", Map.of())));
        CompletableFuture<Event> second = CompletableFuture.supplyAsync(() -> result(uri, event("web01", Map.of())));

        assertThat(first.get(60, TimeUnit.SECONDS).type()).isEqualTo("action/ansible/site/ok");
        assertThat(second.get(60, TimeUnit.SECONDS).type()).isEqualTo("action/ansible/site/ok");
    }

    @Test
    void stoppingCamelKillsARunThatIsStillGoing() throws Exception {
        Path pidFile = ran.resolveSibling("pid");
        Path hang = script("hanging-ansible-playbook", "echo $$ > " + pidFile + "; exec sleep 60");
        String uri = "ansible:site?playbook=" + playbook + "&ansiblePlaybookBinary=" + hang;
        CompletableFuture<Event> running = CompletableFuture.supplyAsync(() -> result(uri, event("web01", Map.of())));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        long pid = Long.parseLong(Files.readString(pidFile).trim());

        // Camel waits this long for in-flight exchanges, then stops the producer, which kills the process
        context.getShutdownStrategy().setTimeout(1);
        context.stop();

        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertThat(running.get(20, TimeUnit.SECONDS).type()).isEqualTo("action/ansible/site/failed");
    }

    @Test
    void theInventoryComesFromTheEndpointTheComponentOrTheProperty() throws Exception {
        Path other = write("other-inventory.yml", "all:\n  hosts:\n    db01: {}\n");
        // property (set by the test support): web01 is known
        assertThat(result(uri("site", ""), event("db01", Map.of())).data().get("error").toString())
                .contains("of the inventory " + inventory);
        // endpoint option wins
        assertThat(error(result(uri("site", "&inventory=" + other), event("web01", Map.of()))))
                .contains("of the inventory " + other);
        // component option wins over the property
        AnsibleComponent component = context.getComponent("ansible", AnsibleComponent.class);
        component.setInventory(other.toString());
        assertThat(error(result(uri("site2", ""), event("web01", Map.of())))).contains("of the inventory " + other);
    }

    @Test
    void badOptionsFailWhenTheRouteStarts() throws Exception {
        assertRouteFails("ansible:x", "ansible:x needs exactly one of playbook=<file.yml> or module=<module name>");
        assertRouteFails("ansible:x?playbook=" + playbook + "&module=ansible.builtin.ping",
                "ansible:x needs exactly one of playbook=<file.yml> or module=<module name>, not both");
        assertRouteFails("ansible:x?playbook=" + playbook + "&args=uptime",
                "ansible:x: args applies to module runs only");
        assertRouteFails("ansible:x?module=-a", "ansible:x: module '-a' is not a module name");
        assertRouteFails("ansible:x?playbook=" + playbook + "&timeout=0", "ansible:x: timeout must be positive");
        assertRouteFails("ansible:x?playbook=" + playbook + "&limit=${subject", "template has an unclosed '${'");
        assertRouteFails("ansible:x?playbook=" + playbook + "&maxOutput=10", "maxOutput must be at least 256");
        assertRouteFails("ansible:x?playbook=" + dir.resolve("missing.yml"),
                "ansible:x: playbook " + dir.resolve("missing.yml") + " does not exist or cannot be read");
        assertRouteFails("ansible:x?playbook=" + playbook + "&ansibleConfig=" + dir.resolve("missing.cfg"),
                "ansibleConfig " + dir.resolve("missing.cfg") + " does not exist");
    }

    @Test
    void aRouteWithoutAnyInventoryFailsWhenItStarts() throws Exception {
        try (DefaultCamelContext bare = new DefaultCamelContext()) {
            bare.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:x").to("ansible:x?playbook=" + playbook);
                }
            });
            assertThatThrownBy(bare::start).hasRootCauseMessage(
                    "ansible:x has no inventory: set the option inventory or the property backplane.inventory");
        }
    }

    @Test
    void ansibleIsNotAConsumer() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("ansible:x?playbook=" + playbook).to("log:x");
            }
        })).rootCause().hasMessage("ansible: is an actor (a producer): use it in to:, not from:");
    }

    private void assertRouteFails(String uri, String message) throws Exception {
        try (DefaultCamelContext bare = new DefaultCamelContext()) {
            bare.getPropertiesComponent().addInitialProperty("backplane.inventory", inventory.toString());
            bare.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:x").to(uri);
                }
            });
            assertThatThrownBy(bare::start)
                    .isInstanceOfAny(FailedToCreateRouteException.class, ResolveEndpointFailedException.class,
                            RuntimeException.class)
                    .rootCause().hasMessageContaining(message);
        }
    }
}
