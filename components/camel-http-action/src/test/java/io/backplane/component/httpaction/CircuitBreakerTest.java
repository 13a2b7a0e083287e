package io.backplane.component.httpaction;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Future;

import io.backplane.core.Event;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The circuit per target: opens after consecutive failures, refuses without sending, half-opens for one trial. */
class CircuitBreakerTest extends HttpActionTestSupport {

    private String uri(String name, String options) {
        return "http-action:" + name + "?url=" + server.base() + "/" + name + "&retries=0&breakerFailures=2"
               + "&breakerOpenFor=1s" + options;
    }

    private CircuitBreaker breaker() {
        return context.getComponent("http-action", HttpActionComponent.class).breaker("http://127.0.0.1:"
                                                                                      + server.port());
    }

    private void awaitOpenPeriodOver() {
        Instant until = breaker().openUntil();
        assertThat(until).as("circuit open").isNotNull();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().isAfter(until));
    }

    @Test
    void opensAfterConsecutiveFailuresRefusesWithoutSendingAndClosesWhenTheTargetRecovers() throws Exception {
        start();
        server.respondInTurn(500);
        // two endpoints, one target: they share the circuit
        String a = uri("a", "&deadLetterUri=mock:dead");
        String b = uri("b", "");
        assertThat(result(a, event(Map.of())).type()).isEqualTo("action/http/a/failed");
        assertThat(result(b, event(Map.of())).type()).isEqualTo("action/http/b/failed");
        assertThat(server.received()).hasSize(2);

        Event refused = result(a, event(Map.of()));
        assertThat(refused.type()).isEqualTo("action/http/a/refused");
        assertThat(refused.data()).containsEntry("attempts", 0).containsEntry("deadLetter", true)
                .containsEntry("url", server.base() + "/a").doesNotContainKey("status");
        assertThat((String) field(refused, "error"))
                .startsWith("circuit open for http://127.0.0.1:" + server.port() + " until ")
                .endsWith(" after 2 consecutive failed actions");
        assertThat(result(b, event(Map.of())).type()).isEqualTo("action/http/b/refused");
        assertThat(server.received()).as("nothing sent while open").hasSize(2);
        MockEndpoint dead = context.getEndpoint("mock:dead", MockEndpoint.class);
        assertThat(dead.getReceivedCounter()).as("a's failure and a's refusal").isEqualTo(2);
        assertThat(dead.getReceivedExchanges().get(1).getMessage().getBody(Event.class).data())
                .containsEntry("outcome", "refused").containsEntry("attempts", 0);

        server.respondInTurn(200);
        awaitOpenPeriodOver();
        Event trial = result(a, event(Map.of()));
        assertThat(trial.type()).isEqualTo("action/http/a/ok");
        assertThat(server.received()).hasSize(3);
        assertThat(breaker().openUntil()).as("closed").isNull();
        assertThat(result(b, event(Map.of())).type()).isEqualTo("action/http/b/ok");
        assertThat(server.received()).hasSize(4);
    }

    @Test
    void aFailedTrialOpensTheCircuitAgainAndOthersAreRefusedWhileItRuns() throws Exception {
        start();
        server.respondInTurn(500);
        String a = uri("a", "&timeout=3s"); // the trial hangs this long: time enough to be refused meanwhile
        result(a, event(Map.of()));
        result(a, event(Map.of()));
        assertThat(result(a, event(Map.of())).type()).isEqualTo("action/http/a/refused");

        server.respond(r -> TestServer.HANG);
        awaitOpenPeriodOver();
        Future<Exchange> trial = template.asyncSend(a, e -> e.getMessage().setBody(event(Map.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.received().size() == 3);

        Event during = result(a, event(Map.of()));
        assertThat(during.type()).isEqualTo("action/http/a/refused");
        assertThat((String) field(during, "error")).isEqualTo("circuit half-open for http://127.0.0.1:"
                                                              + server.port()
                                                              + ": a trial request is deciding whether to close it");

        Event trialResult = trial.get().getMessage().getBody(Event.class);
        assertThat(trialResult.type()).isEqualTo("action/http/a/timeout");
        assertThat(trialResult.data()).containsEntry("attempts", 1);
        assertThat((String) field(trialResult, "error")).endsWith("(circuit trial: the circuit stays open)");
        assertThat(result(a, event(Map.of())).type()).isEqualTo("action/http/a/refused");
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void clientErrorsDoNotOpenTheCircuitAndResetTheCount() throws Exception {
        start();
        server.respondInTurn(500, 404, 500, 404, 404);
        String a = uri("a", "");
        for (int i = 0; i < 5; i++) {
            assertThat(result(a, event(Map.of())).type()).isEqualTo("action/http/a/failed");
        }
        assertThat(server.received()).hasSize(5);
        assertThat(breaker().openUntil()).isNull();
    }

    @Test
    void aTrialAnsweredWithAClientErrorClosesTheCircuit() throws Exception {
        // the target answered: it is up, even if it did not like this request
        start();
        server.respondInTurn(500, 500, 422, 200);
        String a = uri("a", "");
        result(a, event(Map.of()));
        result(a, event(Map.of()));
        assertThat(result(a, event(Map.of())).type()).isEqualTo("action/http/a/refused");
        awaitOpenPeriodOver();
        Event trial = result(a, event(Map.of()));
        assertThat(trial.type()).isEqualTo("action/http/a/failed");
        assertThat(trial.data()).containsEntry("status", 422).containsEntry("deadLetter", false);
        assertThat(breaker().openUntil()).isNull();
        assertThat(result(a, event(Map.of())).type()).isEqualTo("action/http/a/ok");
    }

    @Test
    void breakerFailuresZeroTurnsTheBreakerOff() throws Exception {
        start();
        server.respondInTurn(500);
        String a = "http-action:a?url=" + server.base() + "/a&retries=0&breakerFailures=0";
        for (int i = 0; i < 4; i++) {
            assertThat(result(a, event(Map.of())).type()).isEqualTo("action/http/a/failed");
        }
        assertThat(server.received()).hasSize(4);
    }
}
