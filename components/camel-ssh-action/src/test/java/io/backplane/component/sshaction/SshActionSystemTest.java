package io.backplane.component.sshaction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.backplane.core.Event;
import io.backplane.test.Ports;
import io.backplane.test.SshdServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The actor against a real OpenSSH sshd (Debian openssh-server) on 127.0.0.1, driven by the YAML routes of
 * docs/components/ssh-action.md. Fails, never skips, when sshd is not installed.
 */
class SshActionSystemTest extends SshActionTestSupport {

    /** docs/components/ssh-action.md, "YAML route": as written there. */
    static final String HELLO_ROUTE = """
            - route:
                id: hello
                from:
                  uri: direct:x
                  steps:
                    - to: "ssh-action:hello?command=echo ${data.msg}"
                    - to: bus
            """;

    /** docs/components/ssh-action.md, the second example: options as a parameters map. */
    static final String RESTART_ROUTE = """
            - route:
                id: restart-on-alert
                from:
                  uri: bus:monitor/*/ServiceDown/firing
                  steps:
                    - to:
                        uri: ssh-action:restart
                        parameters:
                          host: "${data.labels.instance}"
                          command: "echo restart ${data.labels.service}"
                          timeout: 20s
                          maxPerHost: 1
                    - to: bus
            """;

    /** Collects results from the bus, as a rule would. */
    static final String RESULTS_ROUTE = """
            - route:
                from:
                  uri: bus:action/ssh/**
                  steps:
                    - to: mock:results
            """;

    @TempDir
    static Path sshdDir;

    private static SshdServer sshd;
    private Path inventory;

    @BeforeAll
    static void startSshd() {
        sshd = SshdServer.start(sshdDir.resolve("sshd"));
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @BeforeEach
    void writeInventory() throws Exception {
        inventory = inventory("web01", sshd.port(), sshd.hostKeyLine(), sshd.clientKey());
    }

    private void startWithYaml(String yaml) throws Exception {
        Properties props = new Properties();
        props.put("backplane.inventory", inventory.toString());
        props.put("backplane.bus.zeromq.publish-port", String.valueOf(Ports.free()));
        props.put("backplane.bus.zeromq.subscribe-port", String.valueOf(Ports.free()));
        context.getPropertiesComponent().setInitialProperties(props);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("ssh-action.yaml", yaml));
        start();
    }

    private Event awaitResult() {
        MockEndpoint results = context.getEndpoint("mock:results", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> results.getReceivedCounter() > 0);
        return results.getReceivedExchanges().get(0).getMessage().getBody(Event.class);
    }

    @Test
    void theDocPageShowsTheseRoutes() throws Exception {
        String doc = Files.readString(Path.of("../../docs/components/ssh-action.md"));
        for (String route : new String[] { HELLO_ROUTE, RESTART_ROUTE, RESULTS_ROUTE }) {
            assertThat(doc).contains("```yaml\n" + route + "```");
        }
    }

    @Test
    void yamlRouteRunsTheCommandAndPublishesTheResult() throws Exception {
        startWithYaml(HELLO_ROUTE + RESULTS_ROUTE);
        Event trigger = event("web01", Map.of("msg", "hello from backplane"));
        template.sendBody("direct:x", trigger);

        Event result = awaitResult();
        assertThat(result.type()).isEqualTo("action/ssh/hello/ok");
        assertThat(result.subject()).isEqualTo("web01");
        assertThat(result.causationId()).isEqualTo(trigger.id());
        assertThat(data(result, "command")).isEqualTo("echo 'hello from backplane'");
        assertThat(data(result, "stdout")).isEqualTo("hello from backplane\n");
        assertThat(data(result, "exitCode")).isEqualTo(0);
        assertThat(data(result, "user")).isEqualTo(sshd.user());
    }

    @Test
    void yamlRouteWithParametersReactsToAnAlertFromTheBus() throws Exception {
        startWithYaml(RESTART_ROUTE + RESULTS_ROUTE);
        Event alert = Event.builder("monitor/alertmanager/ServiceDown/firing").subject("ServiceDown")
                .data(Map.of("labels", Map.of("instance", "web01", "service", "nginx; $(id)"))).build();
        template.sendBody("bus:monitor/alertmanager/ServiceDown/firing", alert);

        Event result = awaitResult();
        assertThat(result.type()).isEqualTo("action/ssh/restart/ok");
        assertThat(result.subject()).isEqualTo("web01");
        assertThat(data(result, "stdout")).isEqualTo("restart nginx; $(id)\n");
    }

    @Test
    void changedHostKeyOfTheRealSshdIsRefused() throws Exception {
        try (TestSshServer other = TestSshServer.start(dir)) {
            inventory = inventory("web01", sshd.port(), other.hostKeyLine(), sshd.clientKey());
        }
        start();
        Path marker = dir.resolve("M");
        Event result = act("ssh-action:a?inventory=" + inventory + "&command=RAW(touch " + marker + ")",
                event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/a/refused");
        assertThat(text(result, "error")).contains("host key of 'web01' (127.0.0.1:" + sshd.port()
                + ") does not match the inventory", "the server presented ssh-ed25519 SHA256:");
        assertThat(marker).doesNotExist();
    }

    @Test
    void eventValuesCannotInjectCommandsOnTheRealSshd() throws Exception {
        start();
        Path marker = dir.resolve("M");
        String uri = "ssh-action:echo?inventory=" + inventory + "&host=${data.target}&maxOutput=300000"
                + "&command=RAW(" + Injection.COMMAND + ")";
        Injection.assertNoInjection(marker, this::act, uri);
        Injection.assertSubjectCannotPickAHost(marker, this::act,
                "ssh-action:touch?inventory=" + inventory + "&command=RAW(touch " + marker + ")");
    }

    @Test
    void timeoutOnARootLoginSaysTheCommandMayStillRun() throws Exception {
        start();
        Path pidFile = dir.resolve("child.pid");
        Event result = act("ssh-action:slow?inventory=" + inventory + "&timeout=1500&command=RAW(sleep 60 & echo $! > "
                + pidFile + "; wait)", event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/slow/timeout");
        long child = Long.parseLong(Files.readString(pidFile).trim());
        if (sshd.user().equals("root")) {
            // OpenSSH refuses the signal request on root logins; the result must say so rather than claim a kill
            assertThat(text(result, "error")).contains("did not report its end", "may still be running");
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        } else {
            assertThat(text(result, "error")).contains("it was killed (SIGKILL)");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void withAPtyTimeoutKillsTheWholeProcessGroupEvenOnARootLogin() throws Exception {
        start();
        Path pidFile = dir.resolve("child.pid");
        // the shell stays, with sleep as its child: both must die, not only the shell
        Event result = act("ssh-action:slow?inventory=" + inventory + "&timeout=1500&usePty=true"
                + "&command=RAW(sleep 60 & echo $! > " + pidFile + "; echo started; wait)", event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/slow/timeout");
        assertThat(text(result, "error")).contains("terminal was closed (hangup)");
        assertThat(text(result, "stdout")).isEqualTo("started\n");
        long child = Long.parseLong(Files.readString(pidFile).trim());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aCommandKilledBySignalFails() throws Exception {
        start();
        Event result = act("ssh-action:self?inventory=" + inventory + "&command=RAW(kill -TERM $$)",
                event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/self/failed");
        assertThat(data(result, "exitCode")).isNull();
        assertThat(text(result, "error")).isEqualTo("killed by signal TERM");
    }

    @Test
    void oneLoginServesManyActions() throws Exception {
        start();
        int loginsBefore = countLogins();
        for (int i = 0; i < 5; i++) {
            assertThat(act("ssh-action:n?inventory=" + inventory + "&command=true", event("web01", Map.of())).type())
                    .isEqualTo("action/ssh/n/ok");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> countLogins() == loginsBefore + 1);
        for (int i = 0; i < 2; i++) {
            act("ssh-action:n?inventory=" + inventory + "&command=true&reuseConnections=false",
                    event("web01", Map.of()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> countLogins() == loginsBefore + 3);
    }

    @Test
    void wrongClientKeyIsRejectedByTheRealSshd() throws Exception {
        try (TestSshServer other = TestSshServer.start(dir)) {
            inventory = inventory("web01", sshd.port(), sshd.hostKeyLine(), other.strangerKeyFile());
            start();
            Event result = act("ssh-action:a?inventory=" + inventory + "&command=true", event("web01", Map.of()));
            assertThat(result.type()).isEqualTo("action/ssh/a/failed");
            assertThat(text(result, "error")).contains("failed: the server did not accept the private key "
                    + other.strangerKeyFile());
        }
    }

    private static int countLogins() {
        return (int) sshd.log().lines().filter(l -> l.contains("Accepted publickey")).count();
    }
}
