package io.backplane.component.alertmanager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.test.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;

/** A Camel context with the real Vert.x platform HTTP server on a free loopback port, and an HTTP client. */
abstract class AlertmanagerTestSupport {

    protected CamelContext context;
    protected int port;
    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Creates the context with the HTTP server; add components or properties, then {@link #start}. */
    protected CamelContext createContext() {
        port = Ports.free();
        context = new DefaultCamelContext();
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost("127.0.0.1");
        conf.setBindPort(port);
        try {
            context.addService(new VertxPlatformHttpServer(conf));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return context;
    }

    /** Starts a context whose one route is {@code from(uri).to("mock:alerts")}. */
    protected MockEndpoint startWithRoute(String uri) throws Exception {
        createContext();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("alerts").to("mock:alerts");
            }
        });
        return context.getEndpoint("mock:alerts", MockEndpoint.class);
    }

    protected void start(RouteBuilder... routes) throws Exception {
        if (context == null) {
            createContext();
        }
        for (RouteBuilder r : routes) {
            context.addRoutes(r);
        }
        context.start();
    }

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    protected HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static String fixture(String name) {
        try (InputStream in = AlertmanagerTestSupport.class.getResourceAsStream("/payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static Map<String, Object> json(String body) {
        return EventCodec.readObject(body, "response");
    }

    protected static List<Event> events(MockEndpoint mock) {
        return mock.getReceivedExchanges().stream().map(x -> x.getMessage().getBody(Event.class)).toList();
    }

    protected static Exchange exchange(MockEndpoint mock, int i) {
        return mock.getReceivedExchanges().get(i);
    }
}
