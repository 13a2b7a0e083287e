package io.backplane.component.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backplane.core.Event;
import io.backplane.test.PrometheusServer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.awaitility.Awaitility.await;

/** One plain Camel context per test; what prometheus: consumers emit is collected for assertions. */
abstract class PrometheusTestSupport {

    /** Generous: the machine is shared and Prometheus scrapes once a second. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One emitted exchange: the event in the body and the component's own headers. */
    record Received(Event event, String state, Double value, Map<String, String> labels) {

        String tag() {
            return event.type();
        }

        Map<String, Object> data() {
            return event.data();
        }
    }

    protected DefaultCamelContext context;
    protected final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    protected void start(RoutesBuilder... routes) throws Exception {
        for (RoutesBuilder r : routes) {
            context.addRoutes(r);
        }
        context.start();
    }

    /** Records each exchange (the routes send here). */
    @SuppressWarnings("unchecked")
    protected Processor collect() {
        return (Exchange e) -> received.add(new Received(
                e.getMessage().getBody(Event.class),
                e.getMessage().getHeader(PrometheusConstants.STATE, String.class),
                e.getMessage().getHeader(PrometheusConstants.VALUE, Double.class),
                e.getMessage().getHeader(PrometheusConstants.LABELS, Map.class)));
    }

    protected List<Received> withTag(String tag) {
        return received.stream().filter(r -> r.tag().equals(tag)).collect(Collectors.toList());
    }

    protected PrometheusConsumer consumer(String routeId) {
        return (PrometheusConsumer) context.getRoute(routeId).getConsumer();
    }

    /** A prometheus: URI; the query goes in RAW() so PromQL needs no URL encoding. */
    static String uri(String name, String url, String query, String options) {
        return "prometheus:" + name + "?url=" + url + "&query=RAW(" + query + ")"
               + (options.isEmpty() ? "" : "&" + options);
    }

    /** Waits until Prometheus itself answers the query with exactly this value for every series (at least one). */
    static void awaitPrometheusValue(PrometheusServer prometheus, String promql, String value) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode result = JSON.readTree(prometheus.query(promql)).path("data").path("result");
            if (!result.isArray() || result.isEmpty()) {
                return false;
            }
            for (JsonNode series : result) {
                if (!value.equals(series.path("value").path(1).asText())) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Waits until Prometheus no longer returns any series for the query. */
    static void awaitPrometheusEmpty(PrometheusServer prometheus, String promql) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> JSON.readTree(prometheus.query(promql))
                .path("data").path("result").isEmpty());
    }

    /** A GET with HttpURLConnection (no client threads left behind); returns the status code. */
    static int httpGetStatus(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        return status;
    }
}
