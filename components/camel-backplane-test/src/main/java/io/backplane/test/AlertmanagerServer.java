package io.backplane.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.backplane.test.PrometheusServer.quote;

/**
 * A real Alertmanager (the Debian {@code prometheus-alertmanager} package) for tests, with one webhook receiver that
 * gets every alert, firing and resolved. Notifications go out about a second after an alert arrives
 * ({@code group_wait} and {@code group_interval} 1s). No cluster port is opened. {@link #close()} kills it.
 */
public final class AlertmanagerServer extends LoopbackServer {

    /** The receiver's name, as it appears in webhook payloads ({@code "receiver"}). */
    public static final String RECEIVER = "backplane";

    /** How often a still-firing group is notified again. */
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofSeconds(10);

    private AlertmanagerServer(ExternalProcess process, int port, Path dir) {
        super(process, port, dir);
    }

    /**
     * Writes an alertmanager.yml and starts Alertmanager on it, returning once {@code /-/ready} answers 200.
     *
     * @param workDir     where the config, the data and the log go (a subfolder per server)
     * @param webhookUrl  where notifications are POSTed (webhook payload version 4)
     * @param bearerToken sent as {@code Authorization: Bearer <token>}, or null to send no credentials
     */
    public static AlertmanagerServer start(Path workDir, String webhookUrl, String bearerToken) {
        return start(workDir, webhookUrl, bearerToken, DEFAULT_REPEAT_INTERVAL);
    }

    /** As {@link #start(Path, String, String)}, with the interval at which still-firing alerts are re-sent. */
    public static AlertmanagerServer start(Path workDir, String webhookUrl, String bearerToken,
                                           Duration repeatInterval) {
        Path binary = Binaries.require("prometheus-alertmanager");
        int port = Ports.free();
        Path dir = workDir.resolve("alertmanager-" + port);
        try {
            Files.createDirectories(dir);
            StringBuilder yml = new StringBuilder()
                    .append("route:\n")
                    .append("  receiver: ").append(RECEIVER).append('\n')
                    .append("  group_by: ['alertname']\n")
                    .append("  group_wait: 1s\n")
                    .append("  group_interval: 1s\n")
                    .append("  repeat_interval: ").append(repeatInterval.toMillis()).append("ms\n")
                    .append("receivers:\n")
                    .append("  - name: ").append(RECEIVER).append('\n')
                    .append("    webhook_configs:\n")
                    .append("      - url: ").append(quote(webhookUrl)).append('\n')
                    .append("        send_resolved: true\n");
            if (bearerToken != null) {
                yml.append("        http_config:\n")
                        .append("          authorization:\n")
                        .append("            credentials: ").append(quote(bearerToken)).append('\n');
            }
            Files.writeString(dir.resolve("alertmanager.yml"), yml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Alertmanager config in " + dir, e);
        }
        ExternalProcess process = new ExternalProcess("alertmanager", List.of(
                binary.toString(),
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                // externalURL in webhook payloads points here, not at the machine's host name
                "--web.external-url=http://127.0.0.1:" + port + "/",
                // empty: no gossip (cluster) listener, so nothing else is bound and no peer is looked for
                "--cluster.listen-address=",
                "--log.level=info"), dir);
        return new AlertmanagerServer(process, port, dir).awaitReady("Alertmanager");
    }

    /**
     * POSTs alerts to the API ({@code /api/v2/alerts}), as Prometheus does: a JSON array of
     * {@code {"labels":{...},"annotations":{...},"startsAt":...,"endsAt":...}}. Fails unless Alertmanager accepts them.
     */
    public void postAlerts(String jsonArray) {
        PrometheusServer.Http.Response r = PrometheusServer.Http.call("POST", url() + "/api/v2/alerts",
                "application/json", jsonArray);
        if (r.status() != 200) {
            throw new AssertionError("Alertmanager refused the alerts: HTTP " + r.status() + " " + r.body());
        }
    }

}
