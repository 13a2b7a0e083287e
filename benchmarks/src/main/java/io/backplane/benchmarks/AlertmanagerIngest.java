package io.backplane.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Alertmanager webhook ingest end to end: concurrent HTTP clients POST Alertmanager v4 notifications of 10 alerts
 * each to {@code from("alertmanager:/hooks/am").to("bus")} on Camel's Vert.x platform-http server; a
 * {@code from("bus:monitor/alertmanager/**")} route counts the alerts as they arrive from the bus and records each
 * one's latency from the client's send stamp (carried in an annotation). alerts/s = alerts delivered to the bus
 * route / (last receipt - first send).
 */
final class AlertmanagerIngest implements Scenario {

    static final int ALERTS_PER_NOTIFICATION = 10;

    private CamelContext camel;
    private HttpClient http;
    private URI uri;
    private volatile Phase phase = new Phase(0);
    private final LongAdder refused = new LongAdder();

    @Override
    public String name() {
        return "alertmanager-ingest";
    }

    @Override
    public String description() {
        return "Alertmanager v4 webhook, 10 alerts per POST (java.net.http, concurrent clients) -> alertmanager: "
               + "-> bus -> route; events = alerts";
    }

    @Override
    public boolean sizeIndependent() {
        return true;
    }

    @Override
    public void setUp(Config config) throws Exception {
        int port = Ports.free();
        camel = new DefaultCamelContext();
        camel.setStreamCaching(false); // as the distribution runs
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost("127.0.0.1");
        conf.setBindPort(port);
        camel.addService(new VertxPlatformHttpServer(conf));
        camel.getPropertiesComponent().setInitialProperties(new Properties());
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        camel.addComponent("bus", bus);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("alertmanager:/hooks/am").routeId("bench-alertmanager").to("bus");
                from("bus:monitor/alertmanager/**").routeId("bench-bus").process(exchange -> {
                    Map<?, ?> annotations = (Map<?, ?>) ((Event) exchange.getMessage().getBody()).data().get("annotations");
                    phase.record(Long.parseLong((String) annotations.get("sent")));
                });
            }
        });
        camel.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        uri = URI.create("http://127.0.0.1:" + port + "/hooks/am");
    }

    /** A notification as Alertmanager 0.25 sends it, 10 firing alerts, stamped with the send time. */
    static byte[] notification(long sequence, long sentNanos) {
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < ALERTS_PER_NOTIFICATION; i++) {
            if (i > 0) {
                alerts.append(',');
            }
            alerts.append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighLatency\",\"instance\":\"web")
                    .append(i).append(":9100\",\"job\":\"node\",\"severity\":\"critical\"},\"annotations\":{")
                    .append("\"summary\":\"p99 latency above 500ms\",\"sent\":\"").append(sentNanos).append("\"},")
                    .append("\"startsAt\":\"2026-11-24T10:00:00.000Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",")
                    .append("\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=latency\",\"fingerprint\":\"")
                    .append(Long.toHexString(sequence * 16 + i)).append("\"}");
        }
        return ("{\"receiver\":\"backplane\",\"status\":\"firing\",\"alerts\":[" + alerts + "],"
                + "\"groupLabels\":{\"alertname\":\"HighLatency\"},\"commonLabels\":{\"alertname\":\"HighLatency\"},"
                + "\"commonAnnotations\":{},\"externalURL\":\"http://alertmanager:9093\",\"version\":\"4\","
                + "\"groupKey\":\"{}:{alertname=\\\"HighLatency\\\"}\",\"truncatedAlerts\":0}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private long pump(Phase p, double seconds, int clients) throws Exception {
        phase = p;
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder posted = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        long start = Payload.now();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                long seq = 0;
                while (!stop.get()) {
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(notification(seq++, Payload.now()))).build();
                    try {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == 200) {
                            posted.add(ALERTS_PER_NOTIFICATION);
                        } else {
                            refused.increment();
                        }
                    } catch (IOException e) {
                        refused.increment(); // a keep-alive connection closed under us: counted, not retried
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-alertmanager-client-" + c);
            t.start();
            threads.add(t);
        }
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        // the answer is sent after the route has put every alert on the bus; wait for the bus route to see them
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (p.count() < posted.sum() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        long end = p.count() > 0 ? p.lastNanos() : Payload.now();
        return end - start;
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        refused.reset();
        pump(new Phase(0), config.warmupSeconds * 2, config.httpClients);
        Phase measured = new Phase((int) Math.min(config.maxSamples, 2_000_000));
        long elapsed = pump(measured, config.measureSeconds, config.httpClients);
        Double[] lat = measured.percentilesMicros();
        return new Result(name(), notification(0, 0).length)
                .put("events", measured.count())
                .put("events_per_s", (double) Math.round(measured.count() * 1e9 / elapsed))
                .put("alerts_per_post", ALERTS_PER_NOTIFICATION)
                .put("http_clients", config.httpClients)
                .put("load_p50_us", lat[0])
                .put("load_p99_us", lat[1])
                .put("refused_posts", refused.sum());
    }

    @Override
    public void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }
}
