package io.backplane.distribution;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs the built distribution as a user does: the tar.gz's bin/backplane and the one-file jar. */
class DistributionIT {

    static final String NOTIFY_ROUTE = """
            - route:
                id: notify
                from:
                  uri: bus:app/**
                  steps:
                    - setBody:
                        simple: "${body[type]} ${body[subject]}"
                    - to: "http://127.0.0.1:{{recorder.port}}/hook"
            """;

    static final String LIB_ROUTE = """
            - route:
                id: from-lib
                from:
                  uri: bus:lib/**
                  steps:
                    - to: "http://127.0.0.1:{{recorder.port}}/lib"
            """;

    @TempDir
    Path tmp;

    @Test
    void tarballRunsRulesFromItsDirectoryWithIngestHealthMetricsCliAndExtraJars() throws Exception {
        Path tar = Path.of(System.getProperty("backplane.tar"));
        assertThat(tar).isRegularFile();
        Process untar = new ProcessBuilder("tar", "-xzf", tar.toString(), "-C", tmp.toString()).inheritIO().start();
        assertThat(untar.waitFor()).isZero();
        Path home;
        try (var dirs = Files.list(tmp)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("backplane-")).findFirst().orElseThrow();
        }
        assertThat(home.resolve("bin/backplane")).isExecutable();
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/backplane")))
                .contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(home.resolve("conf/application.properties")).isRegularFile();
        assertThat(home.resolve("lib/backplane.jar")).isRegularFile();
        assertThat(home.resolve("routes")).isDirectory();

        Files.writeString(home.resolve("routes/notify.yaml"), NOTIFY_ROUTE);
        writeJar(home.resolve("lib/extra-rules.jar"), "extra/lib-route.yaml", LIB_ROUTE);

        try (HttpRecorder recorder = new HttpRecorder(); BackplaneProcess bp = new BackplaneProcess()) {
            // settings: the working directory's file wins over the installation's conf/
            Files.writeString(home.resolve("conf/application.properties"), "recorder.port = 1\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(home.resolve("application.properties"), "recorder.port = " + recorder.port() + "\n");
            List<String> javaOpts = new ArrayList<>(bp.portSettings());
            javaOpts.add("-Dcamel.main.routesIncludePattern=file:routes/*.yaml,classpath:extra/lib-route.yaml");
            List<String> cmd = List.of("env", "JAVA_OPTS=" + String.join(" ", javaOpts),
                    "JAVA_HOME=" + System.getProperty("java.home"), home.resolve("bin/backplane").toString());
            bp.start(home, cmd);

            assertThat(bp.output()).contains("Started notify (bus://app/**)").contains("Started from-lib");

            HttpResponse<String> health = bp.get("/observe/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"UP\"");
            assertThat(bp.get("/observe/metrics").body()).contains("camel");

            // everything listens on loopback only
            for (int port : List.of(bp.httpPort, bp.publishPort, bp.subscribePort)) {
                assertThat(ListeningSockets.localAddressesOf(port)).as("port " + port).containsOnly("127.0.0.1");
            }

            HttpResponse<String> accepted = bp.post("/events?type=app/shop/client-load&subject=web01",
                    "application/json", "{\"load\":0.5}");
            assertThat(accepted.statusCode()).isEqualTo(202);

            var cli = BackplaneProcess.runJar(tmp, "emit", "app/cli/test", "--subject", "web02", "--data",
                    "{\"x\":1}", "--zeromq", "tcp://127.0.0.1:" + bp.publishPort);
            assertThat(cli.exitCode()).as(cli.output()).isZero();
            assertThat(cli.output().trim()).matches("[0-9a-f-]{36}");
            var viaHttp = BackplaneProcess.runJar(tmp, "emit", "lib/http/test", "--http", bp.url("/events"));
            assertThat(viaHttp.exitCode()).as(viaHttp.output()).isZero();

            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(recorder.requests())
                    .as("requests the rules made; Backplane said:%n%s", bp.output()).hasSize(3));
            assertThat(recorder.requests()).extracting(HttpRecorder.Request::body)
                    .contains("app/shop/client-load web01", "app/cli/test web02");
            assertThat(recorder.requests()).extracting(HttpRecorder.Request::path).contains("/lib");

            int exit = bp.stop();
            assertThat(bp.output()).as("exit %d", exit).contains("is shutdown");
            for (int port : List.of(bp.httpPort, bp.publishPort, bp.subscribePort)) {
                assertThat(ListeningSockets.localAddressesOf(port)).as("port " + port + " freed").isEmpty();
            }
        }
    }

    @Test
    void jarRequiresTheTokenWhenSetAndTheCliReportsBadInput() throws Exception {
        try (BackplaneProcess bp = new BackplaneProcess()) {
            bp.startJar(tmp, "-Dbackplane.http.token=t0ken");
            HttpResponse<String> refused = bp.post("/events?type=app/a/b", "application/json", "{}");
            assertThat(refused.statusCode()).isEqualTo(401);
            var noToken = BackplaneProcess.runJar(tmp, "emit", "app/a/b", "--http", bp.url("/events"));
            assertThat(noToken.exitCode()).isEqualTo(1);
            assertThat(noToken.output()).contains("HTTP 401");
            var withToken = BackplaneProcess.runJar(tmp, "emit", "app/a/b", "--http", bp.url("/events"),
                    "--token", "t0ken");
            assertThat(withToken.exitCode()).as(withToken.output()).isZero();
        }
        Map<List<String>, String> bad = Map.of(
                List.of("emit", "app/a/b", "--data", "[1]"), "--data must be a JSON object",
                List.of("emit", "app/a/b", "--data", "{oops"), "--data is not valid JSON",
                List.of("emit", "app//b"), "empty segment",
                List.of("emit", "app/$(reboot)/x", "--data", "{\"cmd\":\"; rm -rf /\"}", "--zeromq",
                        "tcp://127.0.0.1:" + BackplaneProcess.freePort(), "--timeout", "300"), "no Backplane hub");
        for (var c : bad.entrySet()) {
            var r = BackplaneProcess.runJar(tmp, c.getKey().toArray(new String[0]));
            assertThat(r.exitCode()).as(c.getKey() + ": " + r.output()).isIn(1, 2);
            assertThat(r.output()).as(c.getKey().toString()).contains(c.getValue());
        }
        var unknown = BackplaneProcess.runJar(tmp, "--colour");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("Unknown option");
    }

    static void writeJar(Path jar, String entry, String content) throws Exception {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(entry));
            j.write(content.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
    }
}
