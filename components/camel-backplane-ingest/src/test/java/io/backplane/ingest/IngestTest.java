package io.backplane.ingest;

import io.backplane.test.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IngestTest {

    static final String EVENT = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/t\",\"type\":\"app/shop/client-load\","
                                + "\"subject\":\"web01\",\"data\":{\"load\":0.9}}";

    private CamelContext context;
    private MockEndpoint received;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    static int freePort() {
        return Ports.free();
    }

    void start(String token) throws Exception {
        port = freePort();
        context = new DefaultCamelContext();
        Properties props = new Properties();
        if (token != null) {
            props.put("backplane.http.token", token);
        }
        props.put("backplane.http.max-body-bytes", "4096");
        context.getPropertiesComponent().setInitialProperties(props);
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost("127.0.0.1");
        conf.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(conf));
        BusComponent bus = new BusComponent();
        bus.setPublishPort(freePort());
        bus.setSubscribePort(freePort());
        context.addComponent("bus", bus);
        context.addRoutes(new IngestRoutes());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:app/**").to("mock:received");
            }
        });
        context.start();
        received = context.getEndpoint("mock:received", MockEndpoint.class);
    }

    @BeforeEach
    void startDefault() throws Exception {
        start(null);
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    HttpResponse<String> post(String contentType, String body, String... headers) throws Exception {
        return postTo("/events", contentType, body, headers);
    }

    HttpResponse<String> postTo(String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void structuredEventIsAcceptedAndPublished() throws Exception {
        received.expectedMessageCount(1);
        HttpResponse<String> r = post("application/cloudevents+json", EVENT.formatted("e1"));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"accepted\":[\"e1\"]}");
        received.assertIsSatisfied(5000);
        Event e = received.getExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(e.subject()).isEqualTo("web01");
        assertThat(e.data()).containsEntry("load", 0.9);
    }

    @Test
    void batchIsAllOrNothing() throws Exception {
        received.expectedMessageCount(2);
        HttpResponse<String> ok = post("application/cloudevents-batch+json",
                "[" + EVENT.formatted("b1") + "," + EVENT.formatted("b2") + "]");
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(ok.body()).isEqualTo("{\"accepted\":[\"b1\",\"b2\"]}");
        HttpResponse<String> bad = post("application/cloudevents-batch+json",
                "[" + EVENT.formatted("b3") + ",{\"specversion\":\"1.0\",\"id\":\"b4\"}]");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("event 1 of the batch").contains("'source'");
        assertThat(post("application/cloudevents-batch+json", "[]").body()).contains("batch is empty");
        received.assertIsSatisfied(5000);
        Thread.sleep(300);
        assertThat(received.getExchanges()).extracting(x -> x.getMessage().getBody(Event.class).id())
                .containsExactly("b1", "b2"); // b3 was not published: the batch was rejected whole
    }

    @Test
    void binaryModeTakesAttributesFromHeaders() throws Exception {
        received.expectedMessageCount(1);
        HttpResponse<String> r = post("application/json", "{\"load\":1.5}", "ce-specversion", "1.0", "ce-id", "bin1",
                "ce-source", "/probe", "ce-type", "app/shop/client-load", "ce-subject", "web%2001");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        received.assertIsSatisfied(5000);
        Event e = received.getExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(e.id()).isEqualTo("bin1");
        assertThat(e.subject()).isEqualTo("web 01");
        assertThat(e.data()).containsEntry("load", 1.5);
        HttpResponse<String> missing = post("application/json", "{}", "ce-specversion", "1.0", "ce-type", "a/b");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("missing required attribute 'id'");
    }

    @Test
    void plainJsonWithATypeBecomesAnEvent() throws Exception {
        received.expectedMessageCount(1);
        HttpResponse<String> r = postTo("/events?type=app/shop/client-load&subject=web02", "application/json",
                "{\"load\":3}");
        assertThat(r.statusCode()).isEqualTo(202);
        received.assertIsSatisfied(5000);
        Event e = received.getExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(e.type()).isEqualTo("app/shop/client-load");
        assertThat(e.subject()).isEqualTo("web02");
    }

    @Test
    void badInputGetsAClearErrorAndPublishesNothing() throws Exception {
        for (Map.Entry<List<String>, Integer> c : Map.of(
                List.of("application/cloudevents+json", "{not json"), 400,
                List.of("application/cloudevents+json", "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\"}"), 400,
                List.of("application/cloudevents+json", ""), 400,
                List.of("text/plain", "hello"), 415,
                List.of("application/json", "{\"load\":1}"), 400,
                List.of("application/cloudevents+json", EVENT.formatted("x".repeat(5000))), 413).entrySet()) {
            HttpResponse<String> r = post(c.getKey().get(0), c.getKey().get(1));
            assertThat(r.statusCode()).as(c.getKey().toString() + " -> " + r.body()).isEqualTo(c.getValue());
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/json"));
            assertThat(r.body()).contains("\"error\":");
        }
        assertThat(post("application/json", "{\"load\":1}").body()).contains("?type=TAG");
        assertThat(post("text/plain", "x").body()).contains("not accepted");
        Thread.sleep(200);
        assertThat(received.getReceivedCounter()).isZero();
    }

    @Test
    void onlyPostIsAllowed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }

    @Test
    void tokenIsRequiredWhenSet() throws Exception {
        context.close();
        start("s3cret");
        received.expectedMessageCount(1);
        HttpResponse<String> none = post("application/cloudevents+json", EVENT.formatted("t1"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("missing Authorization");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"backplane\"");
        HttpResponse<String> wrong = post("application/cloudevents+json", EVENT.formatted("t2"), "Authorization",
                "Bearer guess");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong token");
        HttpResponse<String> right = post("application/cloudevents+json", EVENT.formatted("t3"), "Authorization",
                "Bearer s3cret");
        assertThat(right.statusCode()).isEqualTo(202);
        assertThat(right.headers().firstValue("Authorization")).isEmpty();
        received.assertIsSatisfied(5000);
        assertThat(received.getExchanges().get(0).getMessage().getBody(Event.class).id()).isEqualTo("t3");
    }
}
