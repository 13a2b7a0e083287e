package io.backplane.component.httpaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import io.backplane.core.Event;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** In a route: failures are results, not errors, so the route keeps taking events; concurrent use is safe. */
class HttpActionRouteTest extends HttpActionTestSupport {

    @Test
    void theRouteKeepsTakingEventsAfterFailures() throws Exception {
        // the server answers with the status named in the path: /api/<status>
        server.respond(r -> TestServer.Reply.of(Integer.parseInt(r.rawPath().substring(5)), "status"));
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in")
                        .to("http-action:act?url=RAW(" + server.base() + "/api/${data.status})&retries=1"
                            + "&backoff=10ms&breakerFailures=0")
                        .to("mock:results");
            }
        });
        MockEndpoint results = context.getEndpoint("mock:results", MockEndpoint.class);
        List<Exchange> sent = new ArrayList<>();
        for (Object status : new Object[] {500, 404, "missing", 200}) {
            Event e = status.equals("missing") ? event(Map.of()) : event(Map.of("status", status));
            sent.add(template.send("direct:in", x -> x.getMessage().setBody(e)));
        }
        assertThat(sent).allSatisfy(x -> assertThat(x.getException()).isNull());
        assertThat(results.getReceivedCounter()).isEqualTo(4);
        assertThat(results.getReceivedExchanges()).extracting(x -> x.getMessage().getBody(Event.class).type())
                .containsExactly("action/http/act/failed", "action/http/act/failed", "action/http/act/refused",
                                 "action/http/act/ok");
        assertThat(server.received()).hasSize(4); // 500 twice, 404 once, 200 once
    }

    @Test
    void concurrentActionsEachGetTheirOwnResult() throws Exception {
        start();
        server.respond(r -> TestServer.Reply.of(200, r.rawPath()));
        String uri = "http-action:many?url=RAW(" + server.base() + "/item/${data.n})";
        List<Future<Exchange>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            futures.add(template.asyncSend(uri, x -> x.getMessage().setBody(event(Map.of("n", n)))));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> futures.stream().allMatch(Future::isDone));
        for (int i = 0; i < 20; i++) {
            Event result = futures.get(i).get().getMessage().getBody(Event.class);
            assertThat(result.data()).containsEntry("outcome", "ok").containsEntry("responseBody", "/item/" + i);
        }
    }

    @Test
    void theJavaDslUriOfTheDocPage() throws Exception {
        context.getPropertiesComponent().addInitialProperty("ops.api.token", "t0ken");
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:down")
                        .to(("http-action:restart?url=RAW(http://127.0.0.1:8080/api/services/${data.service}/restart)"
                             + "&body=RAW({\"service\": ${data.service}, \"host\": ${subject} })"
                             + "&bearerToken={{ops.api.token}}").replace("8080", String.valueOf(server.port())))
                        .to("mock:results");
            }
        });
        Event result = template.requestBody("direct:down", event(Map.of("service", "nginx")), Event.class);
        assertThat(result.type()).isEqualTo("action/http/restart/ok");
        TestServer.Received got = server.received().get(0);
        assertThat(got.rawPath()).isEqualTo("/api/services/nginx/restart");
        assertThat(got.body()).isEqualTo("{\"service\": \"nginx\", \"host\": \"web01\" }");
        assertThat(got.header("Authorization")).isEqualTo("Bearer t0ken");
    }
}
