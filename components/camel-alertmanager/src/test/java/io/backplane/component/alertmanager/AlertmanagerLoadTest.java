package io.backplane.component.alertmanager;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.backplane.component.bus.BusComponent;
import io.backplane.test.Ports;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many notifications of 10 alerts from concurrent clients, through HTTP, the route and the bus to a subscriber: every
 * alert arrives once. The rate is logged, not asserted (a loaded 2-core machine proves nothing about speed); run with
 * {@code -Dalertmanager.load.posts=5000} for a benchmark.
 */
class AlertmanagerLoadTest extends AlertmanagerTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerLoadTest.class);
    private static final int ALERTS_PER_POST = 10;

    @Test
    void everyAlertOfManyConcurrentNotificationsReachesTheBus() throws Exception {
        int posts = Integer.getInteger("alertmanager.load.posts", 300);
        createContext();
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        context.addComponent("bus", bus);
        AtomicInteger arrived = new AtomicInteger();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("alertmanager:/hooks/am").to("bus");
                from("bus:monitor/alertmanager/**").process(e -> arrived.incrementAndGet());
            }
        });

        List<String> bodies = new ArrayList<>(posts);
        for (int p = 0; p < posts; p++) {
            bodies.add(notification(p));
        }
        Semaphore inFlight = new Semaphore(8); // Alertmanager sends each group's notification on its own
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>(posts);
        long start = System.nanoTime();
        for (String body : bodies) {
            inFlight.acquire();
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/am"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            HttpResponse<String> r = a.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"accepted\":10,\"suppressed\":0}");
        }
        int expected = posts * ALERTS_PER_POST;
        await().atMost(Duration.ofSeconds(60)).until(() -> arrived.get() >= expected);
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("{} alerts in {} notifications, HTTP -> route -> bus -> subscriber: {} s, {} alerts/s", expected,
                 posts, String.format("%.2f", seconds), Math.round(expected / seconds));
        assertThat(arrived.get()).isEqualTo(expected);
    }

    private static String notification(int p) {
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < ALERTS_PER_POST; i++) {
            if (i > 0) {
                alerts.append(',');
            }
            alerts.append("""
                    {"status":"firing","labels":{"alertname":"HighLoad","instance":"web%d-%d:9100","job":"node",\
                    "severity":"warning"},"annotations":{"summary":"load is high"},\
                    "startsAt":"2024-05-01T10:00:00.123Z","endsAt":"0001-01-01T00:00:00Z",\
                    "generatorURL":"http://prometheus:9090/graph?g0.expr=node_load1","fingerprint":"%08x%08x"}"""
                    .formatted(p, i, p, i));
        }
        return """
                {"version":"4","groupKey":"{}:{job=\\"node\\"}","truncatedAlerts":0,"status":"firing",\
                "receiver":"backplane","groupLabels":{"job":"node"},"commonLabels":{"job":"node"},\
                "commonAnnotations":{},"externalURL":"http://alertmanager:9093","alerts":[%s]}"""
                .formatted(alerts);
    }
}
