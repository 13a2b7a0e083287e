package io.backplane.component.prometheus;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

import com.sun.net.httpserver.HttpServer;

/**
 * A scrape target the test controls: serves the Prometheus text exposition format at /metrics with the series and
 * values the test sets, e.g. {@code demo_value{instance="web01"} 1}.
 */
final class MetricsTarget implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> series = new ConcurrentSkipListMap<>();

    private MetricsTarget(HttpServer server) {
        this.server = server;
    }

    static MetricsTarget start() throws IOException {
        // port 0: the OS picks a free one, with no window for another process to take it
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        MetricsTarget target = new MetricsTarget(server);
        server.createContext("/metrics", exchange -> {
            byte[] body = target.render().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return target;
    }

    /** Sets a series, e.g. {@code set("demo_value{instance=\"web01\"}", "1")}. */
    MetricsTarget set(String seriesName, String value) {
        series.put(seriesName, value);
        return this;
    }

    /** Stops exposing a series: Prometheus marks it stale at the next scrape. */
    MetricsTarget remove(String seriesName) {
        series.remove(seriesName);
        return this;
    }

    String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private String render() {
        StringBuilder out = new StringBuilder();
        Set<String> typed = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : series.entrySet()) {
            int brace = e.getKey().indexOf('{');
            String metric = brace < 0 ? e.getKey() : e.getKey().substring(0, brace);
            if (typed.add(metric)) {
                out.append("# TYPE ").append(metric).append(" gauge\n");
            }
            out.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
