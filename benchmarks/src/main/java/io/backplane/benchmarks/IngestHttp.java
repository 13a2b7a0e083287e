package io.backplane.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.ingest.IngestRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Real HTTP: a few concurrent java.net.http clients POST one structured event each to the ingest route on Camel's
 * Vert.x platform-http server; the ingest publishes on the bus (embedded hub) and a {@code from("bus:bench/**")}
 * route records the latency from the client's stamp. events/s counts events delivered to the route.
 */
final class IngestHttp extends TransportScenario {

    private CamelContext camel;
    private HttpClient http;
    private URI uri;
    private final LongAdder ioErrors = new LongAdder();

    @Override
    public String name() {
        return "ingest-http";
    }

    @Override
    public String description() {
        return "HTTP POST /events (java.net.http, concurrent clients) -> Vert.x platform-http -> ingest -> bus "
               + "-> route";
    }

    @Override
    protected int senderThreads(Config config) {
        return config.httpClients;
    }

    @Override
    public void setUp(Config config) throws Exception {
        int port = Ports.free();
        camel = new DefaultCamelContext();
        // as the distribution runs (camel.main.streamCachingEnabled=false): events are small maps, not streams
        camel.setStreamCaching(false);
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost("127.0.0.1");
        conf.setBindPort(port);
        camel.addService(new VertxPlatformHttpServer(conf));
        camel.getPropertiesComponent().setInitialProperties(new Properties());
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        camel.addComponent("bus", bus);
        camel.addRoutes(new IngestRoutes());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:bench/**").routeId("bench-bus")
                        .process(exchange -> received(Payload.sentNanos(
                                ((Event) exchange.getMessage().getBody()).data())));
            }
        });
        camel.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
        uri = URI.create("http://127.0.0.1:" + port + "/events");
    }

    @Override
    protected Sender sender(int thread) {
        return json -> {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                    .build();
            HttpResponse<Void> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // a pooled keep-alive connection the server had just closed ("header parser received no bytes"):
                // counted, and sent once more on a new connection
                ioErrors.increment();
                response = http.send(request, HttpResponse.BodyHandlers.discarding());
            }
            return response.statusCode() == 202;
        };
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        ioErrors.reset();
        Result r = super.run(size, config);
        r.put("http_clients", config.httpClients);
        r.put("io_retries", ioErrors.sum());
        return r;
    }

    @Override
    public void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }
}
