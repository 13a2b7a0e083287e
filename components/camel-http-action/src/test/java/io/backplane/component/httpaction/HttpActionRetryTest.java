package io.backplane.component.httpaction;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries on 5xx and connection errors only, timeouts, Retry-After, dead letters and throwOnFailure. */
class HttpActionRetryTest extends HttpActionTestSupport {

    private String uri(String name, String options) {
        return "http-action:" + name + "?url=" + server.base() + "/api&backoff=10ms&breakerFailures=0" + options;
    }

    @Test
    void serverErrorsAreRetriedUntilSuccess() throws Exception {
        start();
        server.respondInTurn(500, 502, 200);
        Event result = result(uri("restart", "&retries=3"), event(Map.of()));
        assertThat(server.received()).hasSize(3);
        assertThat(result.type()).isEqualTo("action/http/restart/ok");
        assertThat(result.data()).containsEntry("attempts", 3).containsEntry("status", 200)
                .containsEntry("responseBody", "answer 3").containsEntry("deadLetter", false)
                .doesNotContainKey("error");
    }

    @Test
    void serverErrorsUntilRetriesAreExhaustedFailWithADeadLetter() throws Exception {
        start();
        server.respondInTurn(503);
        Exchange done = act(uri("restart", "&retries=2&deadLetterUri=mock:dead"), event(Map.of()));
        Event result = done.getMessage().getBody(Event.class);
        assertThat(server.received()).hasSize(3);
        assertThat(result.type()).isEqualTo("action/http/restart/failed");
        assertThat(result.data()).containsEntry("attempts", 3).containsEntry("status", 503)
                .containsEntry("deadLetter", true)
                .containsEntry("error", "HTTP 503 Service Unavailable (after 3 attempts)");
        assertThat(done.getMessage().getHeader(HttpActionConstants.DEAD_LETTER)).isEqualTo(true);
        assertThat(context.getEndpoint("mock:dead", MockEndpoint.class).getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void aClientErrorIsFinalAtOnceAndNotDeadLettered() throws Exception {
        start();
        server.respond(r -> TestServer.Reply.of(404, "{\"error\":\"no such service\"}"));
        Event result = result(uri("restart", "&retries=3&deadLetterUri=mock:dead"), event(Map.of()));
        assertThat(server.received()).hasSize(1);
        assertThat(result.type()).isEqualTo("action/http/restart/failed");
        assertThat(result.data()).containsEntry("attempts", 1).containsEntry("status", 404)
                .containsEntry("deadLetter", false).containsEntry("error", "HTTP 404 Not Found")
                .containsEntry("responseBody", "{\"error\":\"no such service\"}");
        assertThat(context.getEndpoint("mock:dead", MockEndpoint.class).getReceivedCounter()).isZero();
    }

    @Test
    void connectionRefusedIsRetriedThenDeadLetteredWithTheOriginalEvent() throws Exception {
        start();
        int closedPort = Ports.free(); // nothing listens there
        Event cause = event(Map.of("service", "nginx"));
        Event result = result("http-action:restart?url=http://127.0.0.1:" + closedPort + "/api&retries=2"
                              + "&backoff=10ms&deadLetterUri=mock:dead", cause);
        assertThat(result.type()).isEqualTo("action/http/restart/failed");
        assertThat(result.data()).containsEntry("attempts", 3).containsEntry("deadLetter", true)
                .doesNotContainKey("status");
        assertThat((String) field(result, "error")).startsWith("connection failed: ")
                .contains("Connection refused").endsWith("(after 3 attempts)");

        MockEndpoint dead = context.getEndpoint("mock:dead", MockEndpoint.class);
        assertThat(dead.getReceivedCounter()).isEqualTo(1);
        Event letter = dead.getReceivedExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(letter.type()).isEqualTo("deadletter/http/restart");
        assertThat(letter.causationId()).isEqualTo(cause.id());
        assertThat(letter.subject()).isEqualTo("web01");
        assertThat(letter.data()).containsEntry("actor", "http").containsEntry("name", "restart")
                .containsEntry("outcome", "failed").containsEntry("attempts", 3)
                .containsEntry("url", "http://127.0.0.1:" + closedPort + "/api")
                .containsEntry("event", new java.util.LinkedHashMap<>(cause));
        assertThat((String) letter.data().get("error")).isEqualTo(result.data().get("error"));
    }

    @Test
    void aHandlerThatHangsTimesOut() throws Exception {
        start();
        server.respond(r -> TestServer.HANG);
        long t0 = System.nanoTime();
        Event result = result(uri("slow", "&timeout=500ms&retries=1"), event(Map.of()));
        assertThat(result.type()).isEqualTo("action/http/slow/timeout");
        assertThat(result.data()).containsEntry("attempts", 2).containsEntry("deadLetter", true)
                .doesNotContainKey("status");
        assertThat((String) field(result, "error")).startsWith("no answer within 500 ms: ")
                .endsWith("(after 2 attempts)");
        assertThat(server.received()).hasSize(2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void retryAfterOfA503IsHonouredWithinMaxBackoff() throws Exception {
        start();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        server.respond(r -> n.getAndIncrement() == 0
                ? new TestServer.Reply(503, "busy", Map.of("Retry-After", "1")) : TestServer.Reply.of(200, "ok"));
        Event result = result(uri("restart", "&retries=1&maxBackoff=5s"), event(Map.of()));
        assertThat(result.data()).containsEntry("outcome", "ok").containsEntry("attempts", 2);
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(server.received().get(1).atNanos()
                                                       - server.received().get(0).atNanos());
        assertThat(gapMillis).as("waited for Retry-After: 1 instead of backoff=10ms").isGreaterThanOrEqualTo(950);
    }

    @Test
    void aRetryAfterBeyondMaxBackoffIsCapped() throws Exception {
        start();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        server.respond(r -> n.getAndIncrement() == 0
                ? new TestServer.Reply(503, "busy", Map.of("Retry-After", "3600")) : TestServer.Reply.of(200, "ok"));
        long t0 = System.nanoTime();
        Event result = result(uri("restart", "&retries=1&maxBackoff=100ms"), event(Map.of()));
        assertThat(result.data()).containsEntry("outcome", "ok").containsEntry("attempts", 2);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(30);
    }

    @Test
    void backoffDoublesUpToMaxBackoff() throws Exception {
        start();
        HttpActionEndpoint endpoint = context.getEndpoint(
                "http-action:x?url=" + server.base() + "&backoff=100ms&maxBackoff=350ms", HttpActionEndpoint.class);
        HttpActionProducer producer = new HttpActionProducer(endpoint);
        HttpActionProducer.Attempt failed = new HttpActionProducer.Attempt(HttpActionProducer.Kind.SERVER_ERROR,
                                                                           500, "", null, "HTTP 500");
        assertThat(producer.delayBefore(2, failed)).isEqualTo(100);
        assertThat(producer.delayBefore(3, failed)).isEqualTo(200);
        assertThat(producer.delayBefore(4, failed)).isEqualTo(350);
        assertThat(producer.delayBefore(40, failed)).isEqualTo(350);
        HttpActionProducer.Attempt busy = new HttpActionProducer.Attempt(HttpActionProducer.Kind.SERVER_ERROR,
                                                                         503, "", "0", "HTTP 503");
        assertThat(producer.delayBefore(2, busy)).isZero();
        assertThat(HttpActionProducer.parseRetryAfter("soon")).isNull();
        assertThat(HttpActionProducer.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
    }

    @Test
    void throwOnFailureFailsTheExchangeWithTheResult() throws Exception {
        start();
        server.respondInTurn(400);
        Exchange done = act(uri("restart", "&throwOnFailure=true"), event(Map.of()));
        assertThat(done.getException()).isInstanceOf(HttpActionException.class)
                .hasMessage("action/http/restart/failed: HTTP 400 Bad Request");
        Event result = ((HttpActionException) done.getException()).getResult();
        assertThat(result.data()).containsEntry("status", 400);
        assertThat(done.getMessage().getBody(Event.class)).isSameAs(result);
    }

    @Test
    void aDeadLetterEndpointThatFailsIsReportedInTheResult() throws Exception {
        start(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dead").throwException(new IllegalStateException("disk full"));
            }
        });
        server.respondInTurn(500);
        Event result = result(uri("restart", "&retries=0&deadLetterUri=direct:dead"), event(Map.of()));
        assertThat(result.data()).containsEntry("outcome", "failed").containsEntry("deadLetter", true)
                .containsEntry("deadLetterError", "the dead letter could not be sent to direct:dead: disk full");
    }
}
