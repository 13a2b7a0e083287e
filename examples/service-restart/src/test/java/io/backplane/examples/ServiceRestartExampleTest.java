package io.backplane.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.distribution.BackplaneProcess;
import io.backplane.test.SshdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The example end to end with real pieces: the distribution jar runs this example's routes/ and runbooks/ as its own
 * process; a real OpenSSH sshd (Debian openssh-server, on loopback with a temporary host key) is the host web01 of an
 * inventory the test writes; the "web service" is an HTTP server of the test, and its systemctl is a script that
 * records its arguments and brings the service back. The test watches the bus from outside over ZeroMQ.
 * The service goes down: the probe notices, the runbook checks the disk, restarts the unit over SSH, verifies the
 * health page, and reports; the probe sees the service up again.
 */
class ServiceRestartExampleTest {

    @TempDir
    Path workDir;

    private HttpServer web;
    private volatile boolean crashed;
    private final AtomicInteger healthChecks = new AtomicInteger();
    private Path restarted;
    private final List<Event> busEvents = new CopyOnWriteArrayList<>();
    private ZContext zmq;
    private Thread subscriber;

    @BeforeEach
    void setUp() throws IOException {
        for (String folder : List.of("routes", "runbooks")) {
            Path from = Path.of(System.getProperty("example.dir"), folder);
            Files.createDirectories(workDir.resolve(folder));
            try (var files = Files.list(from)) {
                for (Path f : files.toList()) {
                    Files.copy(f, workDir.resolve(folder).resolve(f.getFileName()));
                }
            }
        }
        // the service: healthy until the test crashes it, healthy again once its systemctl restarted it
        restarted = workDir.resolve("restarted");
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/health", x -> {
            healthChecks.incrementAndGet();
            if (crashed && Files.exists(restarted)) {
                crashed = false;
            }
            answer(x, crashed ? 503 : 200, crashed ? "down" : "ok");
        });
        web.start();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        web.stop(0);
        if (zmq != null) {
            zmq.close();
        }
        if (subscriber != null) {
            subscriber.join(5000);
        }
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    /** A systemctl for the test: writes its arguments, one per line, to the marker file the service watches. */
    private Path fakeSystemctl() throws IOException {
        Path script = workDir.resolve("systemctl");
        Files.writeString(script, """
                #!/bin/sh
                printf '%%s\\n' "$@" > '%s.tmp' && mv '%s.tmp' '%s'
                """.formatted(restarted, restarted, restarted));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private Path inventory(SshdServer sshd) throws IOException {
        Path inventory = workDir.resolve("inventory.yaml");
        Files.writeString(inventory, """
                all:
                  hosts:
                    web01:
                      ansible_host: 127.0.0.1
                      ansible_port: %d
                      ansible_user: %s
                      ansible_ssh_private_key_file: %s
                      backplane_host_keys: "%s"
                """.formatted(sshd.port(), sshd.user(), sshd.clientKey(), sshd.hostKeyLine()));
        return inventory;
    }

    /** Everything the hub publishes under monitor/, action/ and test/, as a separate subscriber sees it. */
    private void watchBus(BackplaneProcess bp) throws Exception {
        zmq = new ZContext();
        ZMQ.Socket sub = zmq.createSocket(SocketType.SUB);
        for (String prefix : List.of("monitor/", "action/", "test/")) {
            sub.subscribe(prefix);
        }
        sub.connect("tcp://127.0.0.1:" + bp.subscribePort);
        subscriber = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    sub.recvStr(); // the tag frame
                    busEvents.add(EventCodec.defaults().parse(sub.recv()));
                }
            } catch (RuntimeException closed) {
                // the context was closed: done
            }
        }, "test-bus-watch");
        subscriber.start();
        // a late subscriber misses what came before: ping through the ingest until the pings arrive
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).until(() -> {
            bp.post("/events?type=test/ping&subject=test", "application/json", "{}");
            return busEvents.stream().anyMatch(e -> e.type().equals("test/ping"));
        });
    }

    private Event awaitEvent(String what, Predicate<Event> match, BackplaneProcess bp, SshdServer sshd) {
        await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(
                () -> busEvents.stream().anyMatch(match),
                found -> {
                    if (!found && !bp.process().isAlive()) {
                        throw new AssertionError("Backplane exited:\n" + bp.output());
                    }
                    return found;
                });
        return busEvents.stream().filter(match).findFirst().orElseThrow(() -> new AssertionError(what
                + " not seen; bus: " + busEvents + "\nBackplane:\n" + bp.output() + "\nsshd:\n" + sshd.log()));
    }

    private static Predicate<Event> type(String type) {
        return e -> e.type().equals(type);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Event summary) {
        return (List<Map<String, Object>>) summary.data().get("steps");
    }

    @Test
    void aServiceThatGoesDownIsRestartedOverSshAndComesBack() throws Exception {
        Path systemctl = fakeSystemctl();
        try (SshdServer sshd = SshdServer.start(workDir.resolve("sshd"));
             BackplaneProcess bp = new BackplaneProcess()) {
            bp.startJar(workDir, "-Dbackplane.inventory=" + inventory(sshd),
                    "-Dweb.url=http://127.0.0.1:" + web.getAddress().getPort() + "/health",
                    "-Dweb.host=web01", "-Dservice.systemctl=" + systemctl);
            watchBus(bp);
            // the probe is checking a healthy service (its first "up" is not emitted: emitInitial=down)
            await().atMost(30, TimeUnit.SECONDS).until(() -> healthChecks.get() >= 2);
            assertThat(busEvents).noneMatch(e -> e.type().startsWith("monitor/probe/"));

            crashed = true;
            Event down = awaitEvent("probe down", type("monitor/probe/web/down"), bp, sshd);
            assertThat(down.subject()).isEqualTo("web01");
            assertThat(down.data()).containsEntry("name", "web").containsEntry("state", "down")
                    .containsEntry("statusCode", 503);

            Event summary = awaitEvent("runbook summary", e -> e.type().startsWith("action/runbook/"), bp, sshd);
            assertThat(summary.type()).as("Backplane said:%n%s", bp.output())
                    .isEqualTo("action/runbook/restart-service/ok");
            assertThat(summary.causationId()).isEqualTo(down.id());
            assertThat(summary.subject()).isEqualTo("web01");
            assertThat(summary.data()).containsEntry("failedStep", null);
            assertThat(steps(summary)).extracting(s -> s.get("id") + "=" + s.get("outcome"))
                    .containsExactly("check-disk=ok", "restart=ok", "verify=ok");

            // the restart really ran, over SSH, with the unit as one argument
            assertThat(Files.readAllLines(restarted)).containsExactly("restart", "web");
            Event restart = awaitEvent("restart result", type("action/ssh/restart/ok"), bp, sshd);
            assertThat(restart.causationId()).isEqualTo(down.id());
            assertThat(restart.data()).containsEntry("host", "web01").containsEntry("exitCode", 0)
                    .containsEntry("command", systemctl + " restart 'web'");
            assertThat(restart.id()).isEqualTo(steps(summary).get(1).get("resultId"));
            Event checkDisk = awaitEvent("disk check result", type("action/ssh/check-disk/ok"), bp, sshd);
            assertThat(checkDisk.causationId()).isEqualTo(down.id());
            Event verify = awaitEvent("verify result", type("action/http/verify/ok"), bp, sshd);
            assertThat(verify.causationId()).isEqualTo(down.id());
            assertThat(verify.data()).containsEntry("status", 200);

            // and the probe sees the service up again
            Event up = awaitEvent("probe up", type("monitor/probe/web/up"), bp, sshd);
            assertThat(up.subject()).isEqualTo("web01");
            assertThat(up.data()).containsEntry("previous", "down");
            assertThat(busEvents).filteredOn(type("action/runbook/restart-service/ok")).as("one outage, one run")
                    .hasSize(1);
        }
    }
}
