package io.backplane.component.prometheus;

import java.lang.ref.WeakReference;
import java.net.http.HttpClient;

import io.backplane.test.Ports;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Prometheus not there at all: nothing listens on its port. */
class PrometheusDownTest extends PrometheusTestSupport {

    @Test
    void connectionRefusedEmitsNothingBacksOffLogsOnceAndLeavesNoThreads() throws Exception {
        String url = "http://127.0.0.1:" + Ports.free();
        try (LogCapture log = LogCapture.of(PrometheusConsumer.class)) {
            start(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri("down", url, "up", "interval=50&maxBackoff=400")).routeId("down").process(collect());
                }
            });
            PrometheusConsumer consumer = consumer("down");
            await().atMost(WAIT).until(() -> consumer.getConsecutiveFailures() >= 4);
            assertThat(consumer.getLastError()).startsWith("cannot connect to Prometheus at " + url);
            // 50 ms doubled per failure: 100, 200, 400, then capped at 400
            assertThat(consumer.getNextDelay()).isEqualTo(400);
            assertThat(received).isEmpty();
            assertThat(context.getRouteController().getRouteStatus("down")).isEqualTo(ServiceStatus.Started);
            assertThat(log.messages(Level.WARN, "prometheus:down poll failed")).hasSize(1)
                    .allSatisfy(m -> assertThat(m).contains("cannot connect to Prometheus at " + url));
        }
        assertThat(threads(" - prometheus:down")).isEqualTo(1);
        WeakReference<HttpClient> client = new WeakReference<>(
                context.getComponent("prometheus", PrometheusComponent.class).httpClient());

        context.getRouteController().stopRoute("down");
        await().atMost(WAIT).until(() -> threads(" - prometheus:down") == 0);

        context.stop();
        await().atMost(WAIT).until(() -> threads(" - prometheus-http") == 0);
        // the shared client is released, so its selector thread ends with it
        await().atMost(WAIT).until(() -> {
            System.gc();
            return client.get() == null;
        });
    }

    /** Live threads of this test's Camel context whose name ends with the suffix. */
    private long threads(String suffix) {
        String prefix = "Camel (" + context.getName() + ")";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix) && t.getName().endsWith(suffix))
                .count();
    }
}
