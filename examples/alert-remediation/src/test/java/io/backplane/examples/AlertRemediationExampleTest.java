package io.backplane.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.distribution.BackplaneProcess;
import io.backplane.test.AlertmanagerServer;
import io.backplane.test.PrometheusServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The example end to end with the real systems: Debian's Prometheus 2.42 scrapes a shop the test controls and
 * evaluates the example's alerting rule; Debian's Alertmanager 0.25 posts its webhook to the distribution jar
 * running this example's routes as its own process; the test watches the bus from outside over ZeroMQ.
 * Flip the shop down: the alert fires, Backplane restarts the shop through its admin API, the result event follows,
 * and the alert resolves. Flip the error ratio: the prometheus: source fires and resolves.
 */
class AlertRemediationExampleTest {

    static final String TOKEN = "am-secret-token";
    static final String RULES = """
            groups:
              - name: shop
                rules:
                  - alert: ShopDown
                    expr: shop_up == 0
                    labels:
                      severity: critical
                    annotations:
                      summary: the shop does not answer
            """;

    @TempDir
    Path workDir;

    private final Shop shop = new Shop();
    private final List<Event> busEvents = new CopyOnWriteArrayList<>();
    private ZContext zmq;
    private Thread subscriber;

    /** The monitored service: exposes its metrics to Prometheus and a restart endpoint to Backplane. */
    static final class Shop implements AutoCloseable {
        volatile int up = 1;
        volatile double errorRatio = 0.01;
        final List<String> restarts = new CopyOnWriteArrayList<>();
        final HttpServer server;

        Shop() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/metrics", x -> answer(x, 200, "# TYPE shop_up gauge\nshop_up{service=\"shop\"} " + up
                    + "\n# TYPE shop_error_ratio gauge\nshop_error_ratio{service=\"shop\"} " + errorRatio + "\n"));
            server.createContext("/admin/restart", x -> {
                restarts.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                up = 1; // the restart works
                answer(x, 200, "{\"restarted\":true}");
            });
            server.start();
        }

        static void answer(HttpExchange x, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        }

        String hostPort() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @BeforeEach
    void copyRoutes() throws IOException {
        Path exampleRoutes = Path.of(System.getProperty("example.dir"), "routes");
        Files.createDirectories(workDir.resolve("routes"));
        try (var files = Files.list(exampleRoutes)) {
            for (Path f : files.toList()) {
                Files.copy(f, workDir.resolve("routes").resolve(f.getFileName()));
            }
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        shop.close();
        if (zmq != null) {
            zmq.close();
        }
        if (subscriber != null) {
            subscriber.join(5000);
        }
    }

    /** Everything the hub publishes under monitor/ and action/, as a separate subscriber would see it. */
    private void watchBus(int subscribePort) {
        zmq = new ZContext();
        ZMQ.Socket sub = zmq.createSocket(SocketType.SUB);
        sub.subscribe("monitor/");
        sub.subscribe("action/");
        sub.connect("tcp://127.0.0.1:" + subscribePort);
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
    }

    private Event awaitEvent(String what, Predicate<Event> match, BackplaneProcess bp, PrometheusServer prometheus,
                             AlertmanagerServer alertmanager) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(
                () -> busEvents.stream().anyMatch(match),
                found -> {
                    if (!found && !bp.process().isAlive()) {
                        throw new AssertionError("Backplane exited:\n" + bp.output());
                    }
                    return found;
                });
        return busEvents.stream().filter(match).findFirst().orElseThrow(() -> new AssertionError(what
                + " not seen; bus: " + busEvents + "\nBackplane:\n" + bp.output() + "\nAlertmanager:\n"
                + alertmanager.log() + "\nPrometheus:\n" + prometheus.log()));
    }

    @Test
    void shopDownIsRestartedAndTheAlertResolves() throws Exception {
        try (BackplaneProcess bp = new BackplaneProcess();
             AlertmanagerServer alertmanager = AlertmanagerServer.start(workDir, "http://127.0.0.1:" + bp.httpPort
                     + "/hooks/alertmanager", TOKEN);
             PrometheusServer prometheus = PrometheusServer.start(workDir, RULES, List.of(shop.hostPort()),
                     alertmanager.hostPort())) {
            bp.startJar(workDir, "-Dalertmanager.token=" + TOKEN, "-Dprometheus.url=" + prometheus.url(),
                    "-Dshop.admin-url=http://" + shop.hostPort() + "/admin/restart");
            watchBus(bp.subscribePort);
            prometheus.awaitSeries("shop_up", Duration.ofSeconds(30));

            // the shop goes down: Prometheus fires ShopDown, Alertmanager posts it, the rule restarts the shop
            shop.up = 0;
            Event firing = awaitEvent("ShopDown firing", e -> e.type().equals("monitor/alertmanager/ShopDown/firing"),
                    bp, prometheus, alertmanager);
            assertThat(firing.subject()).isEqualTo(shop.hostPort());
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) firing.data().get("labels");
            assertThat(labels).containsEntry("alertname", "ShopDown").containsEntry("severity", "critical")
                    .containsEntry("service", "shop").containsEntry("instance", shop.hostPort());
            assertThat(firing.data()).containsEntry("receiver", AlertmanagerServer.RECEIVER).containsKey("fingerprint");

            Event result = awaitEvent("restart result", e -> e.type().equals("action/http/restart-shop/ok"),
                    bp, prometheus, alertmanager);
            assertThat(result.causationId()).isEqualTo(firing.id());
            assertThat(shop.restarts).isNotEmpty();
            Map<String, Object> restart = EventCodec.readObject(shop.restarts.get(0), "restart request");
            assertThat(restart).containsEntry("service", "shop").containsEntry("instance", shop.hostPort())
                    .containsEntry("alert", firing.data().get("fingerprint"));

            // the shop is back: Prometheus stops firing and Alertmanager sends the resolution
            Event resolved = awaitEvent("ShopDown resolved", e -> e.type().equals("monitor/alertmanager/ShopDown/resolved"),
                    bp, prometheus, alertmanager);
            assertThat(resolved.subject()).isEqualTo(shop.hostPort());
            assertThat(resolved.data()).containsEntry("fingerprint", firing.data().get("fingerprint"));

            // the prometheus: source on the same Prometheus: error ratio above 10 % fires, back under 5 % resolves
            shop.errorRatio = 0.2;
            Event errorsFiring = awaitEvent("shop-errors firing", e -> e.type().equals("monitor/prometheus/shop-errors/firing"),
                    bp, prometheus, alertmanager);
            assertThat(errorsFiring.subject()).isEqualTo(shop.hostPort());
            assertThat(errorsFiring.data()).containsEntry("value", 0.2);
            shop.errorRatio = 0.01;
            awaitEvent("shop-errors resolved", e -> e.type().equals("monitor/prometheus/shop-errors/resolved"),
                    bp, prometheus, alertmanager);
            assertThat(shop.restarts).as("one outage, one restart").hasSize(1);
        }
    }
}
