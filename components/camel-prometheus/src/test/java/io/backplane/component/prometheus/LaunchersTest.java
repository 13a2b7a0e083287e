package io.backplane.component.prometheus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.backplane.test.AlertmanagerServer;
import io.backplane.test.PrometheusServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The real Alertmanager and Prometheus launchers of camel-backplane-test, checked end to end through a webhook. */
class LaunchersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Notification(String authorization, JsonNode body) {
    }

    @TempDir
    Path workDir;

    private HttpServer webhook;
    private final List<Notification> notifications = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        webhook.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            notifications.add(new Notification(exchange.getRequestHeaders().getFirst("Authorization"),
                                               JSON.readTree(body)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop(0);
    }

    private String webhookUrl() {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
    }

    @Test
    void alertmanagerIsReadyAndSendsFiringThenResolvedToTheWebhookWithTheToken() throws Exception {
        try (AlertmanagerServer am = AlertmanagerServer.start(workDir, webhookUrl(), "am-s3cret")) {
            assertThat(PrometheusTestSupport.httpGetStatus(am.url() + "/-/ready")).isEqualTo(200);
            am.postAlerts("[{\"labels\":{\"alertname\":\"BackplaneTest\",\"instance\":\"web01\"},"
                          + "\"annotations\":{\"summary\":\"launcher check\"}}]");
            await().atMost(PrometheusTestSupport.WAIT).until(() -> status("firing") != null);
            Notification firing = status("firing");
            assertThat(firing.authorization()).isEqualTo("Bearer am-s3cret");
            assertThat(firing.body().path("version").asText()).isEqualTo("4");
            assertThat(firing.body().path("receiver").asText()).isEqualTo(AlertmanagerServer.RECEIVER);
            JsonNode alert = firing.body().path("alerts").path(0);
            assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("BackplaneTest");
            assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("launcher check");

            // ending the alert now makes it resolved (send_resolved: true)
            am.postAlerts("[{\"labels\":{\"alertname\":\"BackplaneTest\",\"instance\":\"web01\"},"
                          + "\"endsAt\":\"" + Instant.now() + "\"}]");
            await().atMost(PrometheusTestSupport.WAIT).until(() -> status("resolved") != null);
        }
    }

    @Test
    void prometheusRulesFireIntoAlertmanager() throws Exception {
        MetricsTarget target = MetricsTarget.start().set("demo_value{instance=\"web01\"}", "7");
        String rules = """
                groups:
                  - name: demo
                    rules:
                      - alert: DemoHigh
                        expr: demo_value > 5
                        labels:
                          severity: page
                """;
        try (target;
             AlertmanagerServer am = AlertmanagerServer.start(workDir, webhookUrl(), null);
             PrometheusServer prometheus = PrometheusServer.start(workDir, rules, List.of(target.hostPort()),
                                                                  am.hostPort())) {
            assertThat(PrometheusTestSupport.httpGetStatus(prometheus.url() + "/-/ready")).isEqualTo(200);
            await().atMost(PrometheusTestSupport.WAIT).until(() -> status("firing") != null);
            Notification firing = status("firing");
            assertThat(firing.authorization()).as("no token configured").isNull();
            JsonNode alert = firing.body().path("alerts").path(0);
            assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("DemoHigh");
            assertThat(alert.path("labels").path("instance").asText()).isEqualTo("web01");
            assertThat(alert.path("labels").path("severity").asText()).isEqualTo("page");
            assertThat(alert.path("generatorURL").asText()).startsWith(prometheus.url() + "/graph");
            assertThat(firing.body().path("externalURL").asText()).isEqualTo(am.url());
        }
    }

    @Test
    void aBadRuleFileFailsLoudlyWithTheLog() {
        assertThatThrownBy(() -> PrometheusServer.start(workDir, "groups: [ {name: x, rules: [ {alert: A, expr: 'sum('} ] } ]",
                                                         List.of(), null))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Prometheus exited before it was ready")
                .hasMessageContaining("parse error");
    }

    private Notification status(String status) {
        return notifications.stream().filter(n -> status.equals(n.body().path("status").asText())).findFirst()
                .orElse(null);
    }
}
