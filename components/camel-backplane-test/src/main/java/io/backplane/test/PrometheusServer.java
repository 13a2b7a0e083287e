package io.backplane.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus (the Debian {@code prometheus} package) for tests: scrape and rule evaluation every second, bound
 * to 127.0.0.1 on a port chosen at run time. {@link #close()} kills it.
 * <p>
 * The scrape job uses {@code honor_labels: true}, so a target that exposes {@code demo{instance="web01"}} is
 * queryable with {@code instance="web01"} (Prometheus would otherwise rename it to {@code exported_instance}).
 */
public final class PrometheusServer extends LoopbackServer {

    /** The job name of the one scrape job. */
    public static final String JOB = "backplane-test";

    private PrometheusServer(ExternalProcess process, int port, Path dir) {
        super(process, port, dir);
    }

    /**
     * Writes a prometheus.yml and starts Prometheus on it, returning once {@code /-/ready} answers 200.
     *
     * @param workDir              where the config, the TSDB and the log go (a subfolder per server)
     * @param rulesYaml            the content of a rule file ({@code groups: ...}), or null for none
     * @param scrapeTargets        {@code host:port} targets of the one job (may be empty)
     * @param alertmanagerHostPort {@code host:port} of an Alertmanager to send alerts to, or null for none
     */
    public static PrometheusServer start(Path workDir, String rulesYaml, List<String> scrapeTargets,
                                         String alertmanagerHostPort) {
        Path binary = Binaries.require("prometheus");
        int port = Ports.free();
        Path dir = workDir.resolve("prometheus-" + port);
        try {
            Files.createDirectories(dir);
            StringBuilder yml = new StringBuilder()
                    .append("global:\n")
                    .append("  scrape_interval: 1s\n")
                    // must not exceed scrape_interval (default 10s would make the config invalid)
                    .append("  scrape_timeout: 1s\n")
                    .append("  evaluation_interval: 1s\n");
            if (rulesYaml != null) {
                Path rules = dir.resolve("rules.yml");
                Files.writeString(rules, rulesYaml);
                yml.append("rule_files:\n  - ").append(quote(rules.toString())).append('\n');
            }
            if (alertmanagerHostPort != null) {
                yml.append("alerting:\n")
                        .append("  alertmanagers:\n")
                        .append("    - static_configs:\n")
                        .append("        - targets: [").append(quote(alertmanagerHostPort)).append("]\n");
            }
            if (scrapeTargets == null || scrapeTargets.isEmpty()) {
                yml.append("scrape_configs: []\n");
            } else {
                yml.append("scrape_configs:\n")
                        .append("  - job_name: ").append(JOB).append('\n')
                        .append("    honor_labels: true\n")
                        .append("    static_configs:\n")
                        .append("      - targets:\n");
                for (String target : scrapeTargets) {
                    yml.append("          - ").append(quote(target)).append('\n');
                }
            }
            Files.writeString(dir.resolve("prometheus.yml"), yml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Prometheus config in " + dir, e);
        }
        ExternalProcess process = new ExternalProcess("prometheus", List.of(
                binary.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                // generatorURL in alerts points here, not at the machine's host name
                "--web.external-url=http://127.0.0.1:" + port + "/",
                // alerts still firing are re-sent every second instead of every minute
                "--rules.alert.resend-delay=1s",
                "--log.level=info"), dir);
        return new PrometheusServer(process, port, dir).awaitReady("Prometheus");
    }

    /** The raw JSON answer of an instant query ({@code /api/v1/query}); fails on anything but HTTP 200. */
    public String query(String promql) {
        String url = url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        Http.Response response = Http.get(url);
        if (response.status() != 200) {
            throw new AssertionError("query " + promql + " answered HTTP " + response.status() + ": "
                                     + response.body());
        }
        return response.body();
    }

    /**
     * Waits until an instant query returns at least one series (that is, until its targets have been scraped), or
     * fails with the last answer and the log.
     */
    public void awaitSeries(String promql, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = query(promql);
            // a non-empty vector or a scalar: "result":[{... or "result":[<time>,
            if (!last.contains("\"result\":[]")) {
                return;
            }
            Http.pause(200);
        }
        throw new AssertionError("no series for " + promql + " within " + timeout + "; last answer " + last
                                 + "\nlog:\n" + process.log());
    }

    /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Plain HttpURLConnection calls: no client threads left behind by the launchers. */
    static final class Http {

        record Response(int status, String body) {
        }

        private Http() {
        }

        static Response get(String url) {
            return call("GET", url, null, null);
        }

        static Response call(String method, String url, String contentType, String body) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(5000);
                c.setReadTimeout(10000);
                c.setRequestMethod(method);
                if (body != null) {
                    c.setDoOutput(true);
                    c.setRequestProperty("Content-Type", contentType);
                    c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
                }
                int status = c.getResponseCode();
                InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
                String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                c.disconnect();
                return new Response(status, text);
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + url + " failed: " + e.getMessage(), e);
            }
        }

        /** Polls a readiness URL until it answers 200; fails with the program's log if it exits or times out. */
        static void awaitReady(ExternalProcess process, String name, String url, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited before it was ready:\n" + process.log());
                }
                try {
                    Response r = get(url);
                    if (r.status() == 200) {
                        return;
                    }
                    last = "HTTP " + r.status() + " " + r.body();
                } catch (UncheckedIOException notYet) {
                    last = notYet.getMessage();
                }
                pause(100);
            }
            throw new AssertionError(name + " was not ready at " + url + " within " + timeout + " (" + last
                                     + "):\n" + process.log());
        }

        static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
