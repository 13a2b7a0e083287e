package io.backplane.component.sshaction;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.backplane.core.Event;
import io.backplane.core.EventHeaders;
import io.backplane.test.Ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The actor against an in-process Apache MINA SSHD server whose commands run in /bin/sh on this machine. */
class SshActionTest extends SshActionTestSupport {

    private TestSshServer server;
    private Path inventory;

    @BeforeEach
    void startServer() throws Exception {
        server = TestSshServer.start(dir);
        inventory = inventory("web01", server.port(), server.hostKeyLine(), server.clientKeyFile());
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private String uri(String name, String command, String options) {
        return "ssh-action:" + name + "?inventory=" + inventory + "&command=RAW(" + command + ")"
                + (options.isEmpty() ? "" : "&" + options);
    }

    @Test
    void okResultCarriesOutputExitCodeAndCause() throws Exception {
        start();
        Event trigger = event("web01", Map.of("service", "nginx"));
        Event result = act(uri("restart", "echo restarting ${data.service}; echo warn >&2; cat", ""), trigger);

        assertThat(result.type()).isEqualTo("action/ssh/restart/ok");
        assertThat(result.subject()).isEqualTo("web01");
        assertThat(result.causationId()).isEqualTo(trigger.id());
        assertThat(result.source()).isEqualTo("backplane/actor/ssh");
        assertThat(data(result, "outcome")).isEqualTo("ok");
        assertThat(data(result, "host")).isEqualTo("web01");
        assertThat(data(result, "address")).isEqualTo("127.0.0.1");
        assertThat(data(result, "port")).isEqualTo(server.port());
        assertThat(data(result, "user")).isEqualTo(System.getProperty("user.name"));
        assertThat(data(result, "command")).isEqualTo("echo restarting 'nginx'; echo warn >&2; cat");
        assertThat(data(result, "exitCode")).isEqualTo(0);
        assertThat(data(result, "stdout")).isEqualTo("restarting nginx\n");
        assertThat(data(result, "stderr")).isEqualTo("warn\n");
        assertThat(data(result, "stdoutTruncated")).isEqualTo(false);
        assertThat(data(result, "stdoutBytes")).isEqualTo(17L);
        assertThat(data(result, "cause")).isEqualTo("test/trigger");
        assertThat(result.data()).containsKey("durationMs").doesNotContainKey("error");
    }

    @Test
    void nonZeroExitIsFailedWithExitCodeAndHeaders() throws Exception {
        start();
        var exchange = template.request(uri("check", "echo bad >&2; exit 3", ""),
                e -> e.getMessage().setBody(event("web01", Map.of())));
        Event result = exchange.getMessage().getBody(Event.class);
        assertThat(result.type()).isEqualTo("action/ssh/check/failed");
        assertThat(data(result, "exitCode")).isEqualTo(3);
        assertThat(data(result, "stderr")).isEqualTo("bad\n");
        assertThat(data(result, "error")).isEqualTo("exit code 3");
        assertThat(exchange.getMessage().getHeader(SshActionConstants.OUTCOME)).isEqualTo("failed");
        assertThat(exchange.getMessage().getHeader(SshActionConstants.EXIT_CODE)).isEqualTo(3);
        assertThat(exchange.getMessage().getHeader(EventHeaders.TYPE)).isEqualTo("action/ssh/check/failed");
        assertThat(exchange.getMessage().getHeader(EventHeaders.CAUSATION_ID)).isNotNull();
    }

    @Test
    void timeoutKillsTheCommandAndReportsTimeout() throws Exception {
        start();
        Path pidFile = dir.resolve("pid");
        long started = System.nanoTime();
        Event result = act(uri("slow", "echo $$ > " + pidFile + "; echo started; exec sleep 30", "timeout=1500"),
                event("web01", Map.of()));
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(result.type()).isEqualTo("action/ssh/slow/timeout");
        assertThat(tookMs).isLessThan(15_000);
        assertThat(data(result, "exitCode")).isNull();
        assertThat(text(result, "error")).contains("did not finish within timeout=1500ms", "SIGKILL");
        assertThat(data(result, "stdout")).isEqualTo("started\n");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void hugeOutputIsCountedButOnlyMaxOutputIsKept() throws Exception {
        start();
        Event result = act(uri("flood", "head -c 20000000 /dev/zero | tr '\\0' x; echo err >&2", "maxOutput=1000"),
                event("web01", Map.of()));

        assertThat(result.type()).isEqualTo("action/ssh/flood/ok");
        assertThat(data(result, "stdoutBytes")).isEqualTo(20_000_000L);
        assertThat(data(result, "stdoutTruncated")).isEqualTo(true);
        String stdout = text(result, "stdout");
        assertThat(stdout).startsWith("x".repeat(1000)).endsWith("[truncated: 19999000 more bytes]");
        assertThat(stdout.length()).isLessThan(1100);
        assertThat(data(result, "stderr")).isEqualTo("err\n");
        assertThat(data(result, "stderrTruncated")).isEqualTo(false);
    }

    @Test
    void boundedOutputNeverHoldsMoreThanItsBound() {
        BoundedOutput out = new BoundedOutput(1000);
        byte[] chunk = new byte[32 * 1024];
        for (int i = 0; i < 1000; i++) {
            out.write(chunk, 0, chunk.length);
        }
        assertThat(out.held()).isEqualTo(1000);
        assertThat(out.total()).isEqualTo(32L * 1024 * 1000);
        assertThat(out.truncated()).isTrue();
        BoundedOutput small = new BoundedOutput(1_000_000);
        small.write('a');
        assertThat(small.held()).isLessThan(1024);
        assertThat(small.text()).isEqualTo("a");
    }

    @Test
    void unknownHostFailsAndConnectsNowhere() throws Exception {
        start();
        Path marker = dir.resolve("M");
        Event result = act(uri("restart", "touch " + marker, ""), event("db99", Map.of()));

        assertThat(result.type()).isEqualTo("action/ssh/restart/failed");
        assertThat(result.subject()).isEqualTo("db99");
        assertThat(text(result, "error"))
                .startsWith("host 'db99' is not in the inventory " + inventory).contains("nothing was run");
        assertThat(data(result, "exitCode")).isNull();
        assertThat(server.sessionsCreated()).isZero();
        assertThat(marker).doesNotExist();
    }

    @Test
    void changedHostKeyIsRefusedNamingThePresentedFingerprint() throws Exception {
        try (TestSshServer other = TestSshServer.start(dir)) {
            // the inventory lists another server's key for web01
            inventory = inventory("web01", server.port(), other.hostKeyLine(), server.clientKeyFile());
        }
        start();
        Path marker = dir.resolve("M");
        Event result = act(uri("restart", "touch " + marker, ""), event("web01", Map.of()));

        assertThat(result.type()).isEqualTo("action/ssh/restart/refused");
        assertThat(text(result, "error"))
                .contains("host key of 'web01' (127.0.0.1:" + server.port() + ") does not match the inventory")
                .contains("the server presented ssh-ed25519 " + server.hostKeyFingerprint());
        assertThat(server.hostKeyFingerprint()).startsWith("SHA256:");
        assertThat(marker).doesNotExist();
    }

    @Test
    void hostWithoutListedKeysIsRefused() throws Exception {
        inventory = inventory("web01", server.port(), null, server.clientKeyFile());
        start();
        Path marker = dir.resolve("M");
        Event result = act(uri("restart", "touch " + marker, ""), event("web01", Map.of()));

        assertThat(result.type()).isEqualTo("action/ssh/restart/refused");
        assertThat(text(result, "error")).contains("host key of 'web01'", "is unknown",
                "lists no backplane_host_keys", server.hostKeyFingerprint());
        assertThat(marker).doesNotExist();
    }

    @Test
    void listedKeyOfOneTypeIsAskedForWhenTheServerHasSeveral() throws Exception {
        try (TestSshServer two = TestSshServer.startWithTwoHostKeys(dir)) {
            inventory = inventory("inv-ed.yaml", "web01", two.port(), two.hostKeyLine(), two.clientKeyFile());
            Path ecdsaOnly = inventory("inv-ec.yaml", "web01", two.port(), two.otherHostKeyLine(), two.clientKeyFile());
            start();
            assertThat(act(uri("a", "true", ""), event("web01", Map.of())).type()).isEqualTo("action/ssh/a/ok");
            inventory = ecdsaOnly;
            assertThat(act(uri("b", "true", ""), event("web01", Map.of())).type()).isEqualTo("action/ssh/b/ok");
        }
    }

    @Test
    void wrongClientKeyFailsWithAClearError() throws Exception {
        inventory = inventory("web01", server.port(), server.hostKeyLine(), server.strangerKeyFile());
        start();
        Path marker = dir.resolve("M");
        Event result = act(uri("restart", "touch " + marker, ""), event("web01", Map.of()));

        assertThat(result.type()).isEqualTo("action/ssh/restart/failed");
        assertThat(text(result, "error")).contains("authentication as '" + System.getProperty("user.name")
                + "' on 'web01'", "did not accept the private key " + server.strangerKeyFile(), "SHA256:");
        assertThat(marker).doesNotExist();
    }

    @Test
    void missingKeyFileFails() throws Exception {
        inventory = inventory("web01", server.port(), server.hostKeyLine(), dir.resolve("no-such-key"));
        start();
        Event result = act(uri("restart", "true", ""), event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/restart/failed");
        assertThat(text(result, "error")).contains("private key file " + dir.resolve("no-such-key"),
                "does not exist");
    }

    @Test
    void noKeyAnywhereFails() throws Exception {
        inventory = inventory("web01", server.port(), server.hostKeyLine(), null);
        start();
        Event result = act(uri("restart", "true", ""), event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/restart/failed");
        assertThat(text(result, "error")).contains("no private key for 'web01'", "privateKeyFile");
        // the endpoint's key applies when the inventory names none
        Event withKey = act(uri("restart", "true", "privateKeyFile=" + server.clientKeyFile()), event("web01", Map.of()));
        assertThat(withKey.type()).isEqualTo("action/ssh/restart/ok");
    }

    @Test
    void unreachableHostFails() throws Exception {
        inventory = inventory("web01", Ports.free(), server.hostKeyLine(), server.clientKeyFile());
        start();
        Event result = act(uri("restart", "true", ""), event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/restart/failed");
        assertThat(text(result, "error")).contains("cannot connect to 'web01' (127.0.0.1:", "connection refused");
    }

    @Test
    void serverThatNeverSpeaksSshFailsAfterConnectTimeoutOrTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (Exception closed) {
                    // socket closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            inventory = inventory("web01", silent.getLocalPort(), server.hostKeyLine(), server.clientKeyFile());
            start();

            Event failed = act(uri("a", "true", "connectTimeout=500"), event("web01", Map.of()));
            assertThat(failed.type()).isEqualTo("action/ssh/a/failed");
            assertThat(text(failed, "error")).contains("no SSH handshake and login with 'web01'",
                    "within connectTimeout=500ms");

            Event timedOut = act(uri("b", "true", "timeout=500&connectTimeout=10s"), event("web01", Map.of()));
            assertThat(timedOut.type()).isEqualTo("action/ssh/b/timeout");
            assertThat(text(timedOut, "error")).contains("within the action's timeout");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void atMostMaxPerHostCommandsRunAtOnceOnOneSharedConnection() throws Exception {
        start();
        String uri = uri("parallel", "sleep 0.8; echo ${data.n}", "maxPerHost=2");
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Event>> results = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                results.add(pool.submit(() -> act(uri, event("web01", Map.of("n", n)))));
            }
            for (int i = 0; i < 5; i++) {
                Event result = results.get(i).get();
                assertThat(result.type()).isEqualTo("action/ssh/parallel/ok");
                assertThat(data(result, "stdout")).isEqualTo(i + "\n");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.maxConcurrentCommands()).isEqualTo(2);
        assertThat(server.sessionsCreated()).isEqualTo(1);
        assertThat(context.getComponent("ssh-action", SshActionComponent.class).getConnectionsMade()).isEqualTo(1);
    }

    @Test
    void waitingForASlotCountsTowardTheTimeout() throws Exception {
        start();
        String uri = uri("busy", "true", "maxPerHost=1&timeout=1s");
        SshActionEndpoint endpoint = context.getEndpoint(uri, SshActionEndpoint.class);
        // an action of this endpoint holds web01's only slot for longer than the timeout
        endpoint.slots("web01").acquire();
        long started = System.nanoTime();
        Event result = act(uri, event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/busy/timeout");
        assertThat(text(result, "error")).isEqualTo("all 1 slots (maxPerHost) for 'web01' stayed busy for the whole "
                + "timeout=1000ms");
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(900_000_000L);
        assertThat(server.sessionsCreated()).isZero();
        endpoint.slots("web01").release();
        assertThat(act(uri, event("web01", Map.of())).type()).isEqualTo("action/ssh/busy/ok");
    }

    @Test
    void connectionsAreReusedAndOptionallyNot() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            assertThat(act(uri("reuse", "true", ""), event("web01", Map.of())).type()).isEqualTo("action/ssh/reuse/ok");
        }
        assertThat(server.sessionsCreated()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            assertThat(act(uri("fresh", "true", "reuseConnections=false"), event("web01", Map.of())).type())
                    .isEqualTo("action/ssh/fresh/ok");
        }
        assertThat(server.sessionsCreated()).isEqualTo(4);
    }

    @Test
    void aDroppedSharedConnectionIsReopened() throws Exception {
        start();
        assertThat(act(uri("a", "true", ""), event("web01", Map.of())).type()).isEqualTo("action/ssh/a/ok");
        server.dropConnections();
        assertThat(act(uri("a", "true", ""), event("web01", Map.of())).type()).isEqualTo("action/ssh/a/ok");
        assertThat(server.sessionsCreated()).isEqualTo(2);
    }

    @Test
    void aChannelRefusedByALiveConnectionFailsOnlyThatAction() throws Exception {
        server.refuseChannelsBeyond(1);
        start();
        String uri = uri("limited", "sleep ${data.s}", "maxPerHost=2");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Event> first = pool.submit(() -> act(uri, event("web01", Map.of("s", 2))));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.maxConcurrentCommands() == 1);
            Event second = act(uri, event("web01", Map.of("s", 0)));
            assertThat(second.type()).isEqualTo("action/ssh/limited/failed");
            assertThat(text(second, "error")).contains("cannot start the command on 'web01'", "MaxSessions");
            // the shared connection, and the command running on it, were left alone
            assertThat(first.get().type()).isEqualTo("action/ssh/limited/ok");
            assertThat(server.sessionsCreated()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rawKeepsPercentPlusAndAmpersandInYamlCommands() throws Exception {
        // Camel URI-decodes option values, also from a parameters map: RAW(...) keeps '+', '%' and '&' as written
        String yaml = """
                - route:
                    from:
                      uri: direct:map
                      steps:
                        - to:
                            uri: ssh-action:fmt
                            parameters:
                              inventory: "%s"
                              command: "RAW(printf '%%s+%%s' ${data.a} ${data.b} && echo ' 100%%')"
                        - to: mock:out
                - route:
                    from:
                      uri: direct:raw
                      steps:
                        - to: "ssh-action:fmt?inventory=%s&command=RAW(printf '%%s+%%s' ${data.a} ${data.b} && echo ' 100%%')"
                        - to: mock:out
                """.formatted(inventory, inventory);
        org.apache.camel.support.PluginHelper.getRoutesLoader(context)
                .loadRoutes(org.apache.camel.support.ResourceHelper.fromString("fmt.yaml", yaml));
        start();
        for (String from : List.of("direct:map", "direct:raw")) {
            Event result = template.requestBody(from, event("web01", Map.of("a", "x", "b", "y")), Event.class);
            assertThat(result.type()).as(from).isEqualTo("action/ssh/fmt/ok");
            assertThat(text(result, "stdout")).as(from).isEqualTo("x+y 100%\n");
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        context.getComponent("ssh-action", SshActionComponent.class).setIdleTimeout(300);
        start();
        SshActionComponent component = context.getComponent("ssh-action", SshActionComponent.class);
        assertThat(act(uri("a", "true", ""), event("web01", Map.of())).type()).isEqualTo("action/ssh/a/ok");
        assertThat(component.getConnectionsMade()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> component.getOpenSessions() == 0);
        assertThat(act(uri("a", "true", ""), event("web01", Map.of())).type()).isEqualTo("action/ssh/a/ok");
        assertThat(server.sessionsCreated()).isEqualTo(2);
    }

    @Test
    void routeGoesOnAfterFailures() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri("step", "exit ${data.code}", "")).to("mock:out");
            }
        });
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        template.sendBody("direct:in", event("web01", Map.of("code", 1)));
        template.sendBody("direct:in", event("db99", Map.of("code", 0)));
        template.sendBody("direct:in", event("web01", Map.of()));
        template.sendBody("direct:in", event("web01", Map.of("code", 0)));
        assertThat(out.getReceivedExchanges()).extracting(e -> e.getMessage().getBody(Event.class).type())
                .containsExactly("action/ssh/step/failed", "action/ssh/step/failed", "action/ssh/step/refused",
                        "action/ssh/step/ok");
    }

    @Test
    void failOnErrorThrowsWithTheResult() throws Exception {
        start();
        assertThatThrownBy(() -> act(uri("strict", "exit 2", "failOnError=true"), event("web01", Map.of())))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(SshActionException.class)
                .hasMessageContaining("ssh-action:strict failed: exit code 2")
                .satisfies(e -> assertThat(((SshActionException) e).getResult().type())
                        .isEqualTo("action/ssh/strict/failed"));
        assertThat(act(uri("strict", "true", "failOnError=true"), event("web01", Map.of())).type())
                .isEqualTo("action/ssh/strict/ok");
    }

    @Test
    void missingTemplateValueIsRefusedAndNothingRuns() throws Exception {
        start();
        Path marker = dir.resolve("M");
        Event result = act(uri("restart", "touch " + marker + "; systemctl restart ${data.service}", ""),
                event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/restart/refused");
        assertThat(text(result, "error")).isEqualTo("command: the event has no value for ${data.service}");
        assertThat(server.sessionsCreated()).isZero();
        assertThat(marker).doesNotExist();

        Event noSubject = act(uri("restart", "true", ""), Event.builder("test/trigger").build());
        assertThat(noSubject.type()).isEqualTo("action/ssh/restart/refused");
        assertThat(text(noSubject, "error")).isEqualTo("host: the event has no value for ${subject}");
    }

    @Test
    void aBodyThatIsNotAnEventIsRefused() throws Exception {
        start();
        Event result = template.requestBody(uri("restart", "true", ""), "not json", Event.class);
        assertThat(result.type()).isEqualTo("action/ssh/restart/refused");
        assertThat(text(result, "error")).startsWith("the message body is not an event: ");
        assertThat(result.causationId()).isNull();
    }

    @Test
    void hostTemplatePicksTheTarget() throws Exception {
        start();
        Event result = act(uri("restart", "hostname >/dev/null", "host=${data.target}"),
                event("some-alert", Map.of("target", "web01")));
        assertThat(result.type()).isEqualTo("action/ssh/restart/ok");
        assertThat(result.subject()).isEqualTo("web01");
    }

    @Test
    void inventoryEditsApplyWithoutRestart() throws Exception {
        try (TestSshServer other = TestSshServer.start(dir)) {
            inventory = inventory("web01", server.port(), other.hostKeyLine(), server.clientKeyFile());
        }
        start();
        assertThat(act(uri("a", "true", ""), event("web01", Map.of())).type()).isEqualTo("action/ssh/a/refused");
        inventory("web01", server.port(), server.hostKeyLine(), server.clientKeyFile());
        Files.setLastModifiedTime(inventory, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(act(uri("a", "true", ""), event("web01", Map.of())).type()).isEqualTo("action/ssh/a/ok");
    }
}
