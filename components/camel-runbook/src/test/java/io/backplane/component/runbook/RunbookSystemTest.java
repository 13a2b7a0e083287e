package io.backplane.component.runbook;

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
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.test.Ports;
import io.backplane.test.SshdServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/components/runbook.md, run as written from YAML, from the bus to the bus, with real actors as
 * steps: ssh-action: against a real OpenSSH sshd (Debian openssh-server; the test fails, never skips, without it)
 * and http-action: against an HTTP server in the test. The one change: "sudo systemctl" becomes a fake systemctl
 * script that records its arguments (and fails for a unit named "broken"), because the test cannot restart real
 * services.
 */
class RunbookSystemTest extends RunbookTestSupport {

    /** docs/components/runbook.md: runbooks/restart-web.yaml. */
    static final String RESTART_WEB = """
            # The NOC checklist for a web service that stopped answering.
            name: restart-web
            onFailure: stop
            steps:
              - id: check-disk             # a full disk is a reason not to restart: fails at 95 %
                uri: ssh-action:check-disk
                parameters:
                  command: "df -P / | awk 'NR == 2 { exit ($5 + 0 >= 95) }'"
              - id: restart
                uri: ssh-action:restart
                parameters:
                  command: sudo systemctl restart ${data.service}
                  timeout: 60s
              - id: verify                 # the re-probe: the health page answers again
                uri: http-action:verify
                parameters:
                  url: "{{web.health-url}}"
                  method: GET
                  retries: 5
                  backoff: 1s
              - id: page-oncall            # only when something above did not work
                uri: http-action:page
                parameters:
                  url: "{{oncall.url}}"
                  body: '{"service": ${data.service}, "host": ${subject}, "text": "restart did not help"}'
                always: true
                when: steps.restart.outcome != 'ok' or steps.verify.outcome != 'ok'
            """;

    /** docs/components/runbook.md: the rule that runs it (through seda:, so the bus thread never waits). */
    static final String RULE = """
            - route:
                id: service-down
                from:
                  uri: bus:ops/service/*/down
                  steps:
                    - to: seda:restart-web
            - route:
                id: restart-web
                from:
                  uri: seda:restart-web
                  steps:
                    - to: runbook:restart-web?stepResultUri=bus
                    - to: bus
            """;

    /** docs/components/runbook.md: a short runbook inline (flow-style YAML on one line, in RAW(...)). */
    static final String INLINE = """
            - route:
                id: quick-look
                from:
                  uri: bus:ops/host/*/slow
                  steps:
                    - to:
                        uri: runbook:quick-look
                        parameters:
                          definition: >-
                            RAW({onFailure: continue, steps: [
                            {id: load, uri: 'ssh-action:load?command=cat /proc/loadavg'},
                            {id: top, uri: 'ssh-action:top?command=ps -eo pid,pcpu,comm --sort=-pcpu', when: "steps.load.outcome == 'ok'"}]})
                    - to: bus
            """;

    /** The watcher of the tests: every action result on the bus. */
    static final String RESULTS = """
            - route:
                from:
                  uri: bus:action/**
                  steps:
                    - to: mock:results
            """;

    @TempDir
    static Path sshdDir;
    private static SshdServer sshd;

    private HttpServer web;
    private final List<String> oncall = new CopyOnWriteArrayList<>();
    private volatile int health = 200;
    private Path marker;
    private Path pwned;

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
    void setUp() throws Exception {
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/health", x -> answer(x, health, "{\"status\": " + health + "}"));
        web.createContext("/page", x -> {
            oncall.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(x, 200, "{}");
        });
        web.start();

        marker = runbooks.resolve("systemctl.calls");
        pwned = runbooks.resolve("PWNED");
        Path systemctl = runbooks.resolve("fake-systemctl");
        Files.writeString(systemctl, """
                #!/bin/sh
                # records each argument on its own line; a unit named broken fails as systemctl does
                printf '%%s\\n' "$@" >> '%s'
                [ "$2" = broken ] && { echo "Job for broken.service failed." >&2; exit 1; }
                exit 0
                """.formatted(marker));
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(runbooks.resolve("restart-web.yaml"), RESTART_WEB
                .replace("sudo systemctl", systemctl.toString())
                // the test machine's disk may be fuller than a production host's should be
                .replace(">= 95", ">= 101"));
        Path inventory = runbooks.resolve("inventory.yaml");
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

        Properties props = new Properties();
        props.put("backplane.inventory", inventory.toString());
        props.put(RunbookComponent.DIRECTORY_PROPERTY, runbooks.toString());
        props.put("backplane.bus.zeromq.publish-port", String.valueOf(Ports.free()));
        props.put("backplane.bus.zeromq.subscribe-port", String.valueOf(Ports.free()));
        props.put("web.health-url", "http://127.0.0.1:" + web.getAddress().getPort() + "/health");
        props.put("oncall.url", "http://127.0.0.1:" + web.getAddress().getPort() + "/page");
        context.getPropertiesComponent().setInitialProperties(props);
    }

    @AfterEach
    void stopWeb() {
        web.stop(0);
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private void startWithYaml(String yaml) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("runbook.yaml", yaml));
        start();
    }

    private Event awaitResult(String type) {
        MockEndpoint results = context.getEndpoint("mock:results", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> results.getReceivedExchanges().stream()
                .anyMatch(e -> type.equals(e.getMessage().getBody(Event.class).type())));
        return results.getReceivedExchanges().stream().map(e -> e.getMessage().getBody(Event.class))
                .filter(e -> type.equals(e.type())).findFirst().orElseThrow();
    }

    private List<Event> results() {
        return context.getEndpoint("mock:results", MockEndpoint.class).getReceivedExchanges().stream()
                .map(e -> e.getMessage().getBody(Event.class)).toList();
    }

    @Test
    void theDocPageShowsTheseExamples() throws Exception {
        String doc = Files.readString(Path.of("../../docs/components/runbook.md"));
        for (String example : new String[] { RESTART_WEB, RULE, INLINE }) {
            assertThat(doc).contains("```yaml\n" + example + "```");
        }
    }

    @Test
    void theChecklistRestartsTheServiceVerifiesAndReports() throws Exception {
        startWithYaml(RULE + RESULTS);
        Event down = Event.builder("ops/service/nginx/down").subject("web01").data(Map.of("service", "nginx"))
                .build();
        template.sendBody("bus", down);

        Event summary = awaitResult("action/runbook/restart-web/ok");
        assertThat(summary.causationId()).isEqualTo(down.id());
        assertThat(summary.subject()).isEqualTo("web01");
        assertThat(summary.data()).containsEntry("failedStep", null);
        assertThat(steps(summary)).extracting(s -> s.get("id") + "=" + s.get("outcome"))
                .containsExactly("check-disk=ok", "restart=ok", "verify=ok", "page-oncall=skipped");
        assertThat(step(summary, "restart")).containsEntry("exitCode", 0)
                .containsEntry("resultType", "action/ssh/restart/ok");
        assertThat(step(summary, "verify")).containsEntry("status", 200);
        assertThat(Files.readAllLines(marker)).containsExactly("restart", "nginx");
        assertThat(oncall).isEmpty();

        // each step's own result went on the bus too (stepResultUri=bus), before the summary, caused by the trigger
        await().atMost(Duration.ofSeconds(20)).until(() -> results().size() >= 4);
        List<Event> all = results();
        assertThat(all).extracting(Event::type).containsExactly("action/ssh/check-disk/ok", "action/ssh/restart/ok",
                "action/http/verify/ok", "action/runbook/restart-web/ok");
        assertThat(all).allSatisfy(e -> assertThat(e.causationId()).isEqualTo(down.id()));
        assertThat(all.get(1).id()).isEqualTo(step(summary, "restart").get("resultId"));
        assertThat(all.get(1).data()).containsEntry("command", runbooks.resolve("fake-systemctl")
                + " restart 'nginx'");
    }

    @Test
    void aFailedRestartStopsTheRunAndPagesTheOncall() throws Exception {
        startWithYaml(RULE + RESULTS);
        // the value cannot add a command: it is one quoted argument of the fake systemctl, which then fails
        String service = "broken";
        String injected = "x; touch " + pwned + " $(touch " + pwned + ")";
        Event down = Event.builder("ops/service/broken/down").subject("web01")
                .data(Map.of("service", service)).build();
        template.sendBody("bus", down);

        Event summary = awaitResult("action/runbook/restart-web/failed");
        assertThat(summary.causationId()).isEqualTo(down.id());
        assertThat(summary.data()).containsEntry("failedStep", "restart")
                .containsEntry("error", "step 'restart' failed: exit code 1");
        assertThat(steps(summary)).extracting(s -> s.get("id") + "=" + s.get("outcome"))
                .containsExactly("check-disk=ok", "restart=failed", "verify=skipped", "page-oncall=ok");
        assertThat(step(summary, "restart")).containsEntry("exitCode", 1);
        assertThat(Files.readAllLines(marker)).containsExactly("restart", "broken");
        assertThat(oncall).hasSize(1);
        assertThat(EventCodec.readObject(oncall.get(0), "page")).isEqualTo(Map.of(
                "service", "broken", "host", "web01", "text", "restart did not help"));

        // an injection attempt through the service name: one argument, nothing else runs
        Files.delete(marker);
        Event evil = Event.builder("ops/service/nginx/down").subject("web01")
                .data(Map.of("service", injected)).build();
        template.sendBody("bus", evil);
        await().atMost(Duration.ofSeconds(60)).until(() -> results().stream()
                .anyMatch(e -> evil.id().equals(e.causationId()) && e.type().startsWith("action/runbook/")));
        assertThat(Files.readAllLines(marker)).containsExactly("restart", injected);
        assertThat(pwned).doesNotExist();
    }

    @Test
    void aFailedVerificationPagesTheOncall() throws Exception {
        health = 503;
        Files.writeString(runbooks.resolve("restart-web.yaml"), Files.readString(runbooks.resolve("restart-web.yaml"))
                .replace("retries: 5", "retries: 1").replace("backoff: 1s", "backoff: 10ms"));
        startWithYaml(RULE + RESULTS);
        Event down = Event.builder("ops/service/nginx/down").subject("web01").data(Map.of("service", "nginx"))
                .build();
        template.sendBody("bus", down);
        Event summary = awaitResult("action/runbook/restart-web/failed");
        assertThat(summary.data()).containsEntry("failedStep", "verify");
        assertThat(steps(summary)).extracting(s -> s.get("id") + "=" + s.get("outcome"))
                .containsExactly("check-disk=ok", "restart=ok", "verify=failed", "page-oncall=ok");
        assertThat(step(summary, "verify")).containsEntry("status", 503);
        assertThat(oncall).hasSize(1);
    }

    @Test
    void theInlineRunbookLooksAtAHost() throws Exception {
        startWithYaml(INLINE + RESULTS);
        Event slow = Event.builder("ops/host/web01/slow").subject("web01").build();
        template.sendBody("bus", slow);
        Event summary = awaitResult("action/runbook/quick-look/ok");
        assertThat(summary.causationId()).isEqualTo(slow.id());
        assertThat(steps(summary)).extracting(s -> s.get("id") + "=" + s.get("outcome"))
                .containsExactly("load=ok", "top=ok");
    }

    @Test
    void anUnknownStepOptionFailsAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                Files.writeString(runbooks.resolve("typo.yaml"), """
                        steps:
                          - id: restart
                            uri: ssh-action:restart
                            parameters:
                              command: echo hi
                              timout: 5s
                        """);
                from("direct:in").to("runbook:typo");
            }
        })).hasStackTraceContaining("runbook:typo, step 'restart': cannot use uri ssh-action:restart:")
                .hasStackTraceContaining("timout");
    }
}
