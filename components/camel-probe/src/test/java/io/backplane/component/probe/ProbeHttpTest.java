package io.backplane.component.probe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.backplane.core.EventHeaders;
import io.backplane.test.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProbeHttpTest extends ProbeTestSupport {

    private TestHttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestHttpServer.http();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String probe(String name, String options) {
        return "probe:" + name + "?type=http&url=" + server.url("/health") + "&interval=100ms&timeout=5s&" + options;
    }

    @Test
    void healthyTargetIsUpAfterTwoGoodChecks() throws Exception {
        start(probe("web", "successes=2"));
        Received up = awaitEvent(tag("web", "up"));

        assertThat(up.event().subject()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(up.event().source()).isEqualTo("backplane/probe");
        Map<String, Object> data = up.data();
        assertThat(data).containsEntry("name", "web").containsEntry("type", "http")
                .containsEntry("target", server.url("/health")).containsEntry("state", "up")
                .containsEntry("previous", "unknown").containsEntry("consecutive", 2)
                .containsEntry("statusCode", 200).containsKeys("latencyMs", "since", "previousSince")
                .doesNotContainKeys("error", "daysLeft");
        assertThat(((Number) data.get("latencyMs")).longValue()).isGreaterThanOrEqualTo(0);
        assertThat(Instant.parse((String) data.get("since")))
                .isAfterOrEqualTo(Instant.parse((String) data.get("previousSince")));
        assertThat(up.headers()).containsEntry(EventHeaders.TYPE, "monitor/probe/web/up")
                .containsEntry(EventHeaders.SUBJECT, "127.0.0.1:" + server.port())
                .containsEntry(ProbeConstants.NAME, "web").containsEntry(ProbeConstants.STATE, "up")
                .containsEntry(ProbeConstants.OK, true);
        assertThat(consumer("web").getRuns()).isGreaterThanOrEqualTo(2);
        assertThat(server.methods).contains("GET");
    }

    @Test
    void wrongStatusIsDown() throws Exception {
        server.respond(TestHttpServer.answer(500, "boom"));
        start(probe("web", "failures=1"));
        Received down = awaitEvent(tag("web", "down"));
        assertThat(down.data()).containsEntry("error", "status 500, expected 200-399")
                .containsEntry("statusCode", 500).containsEntry("previous", "unknown")
                .containsEntry("consecutive", 1);
        assertThat(down.headers()).containsEntry(ProbeConstants.OK, false)
                .containsEntry(ProbeConstants.STATE, "down");
    }

    @Test
    void expectedStatusTakesCodesAndRanges() throws Exception {
        server.respond(TestHttpServer.answer(503, "maintenance"));
        start(probe("listed", "expectedStatus=200,503&successes=1"),
              probe("ranged", "expectedStatus=200-299&failures=1"));
        assertThat(awaitEvent(tag("listed", "up")).data()).containsEntry("statusCode", 503);
        assertThat(awaitEvent(tag("ranged", "down")).data()).containsEntry("error", "status 503, expected 200-299");
    }

    @Test
    void redirectCountsAsUpUnlessFollowedToAnError() throws Exception {
        server.respond(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/health")) {
                exchange.getResponseHeaders().add("Location", "/moved");
                TestHttpServer.send(exchange, 302, "");
            } else {
                TestHttpServer.send(exchange, 404, "gone");
            }
        });
        start(probe("asis", "successes=1"), probe("followed", "followRedirects=true&failures=1"));
        assertThat(awaitEvent(tag("asis", "up")).data()).containsEntry("statusCode", 302);
        assertThat(awaitEvent(tag("followed", "down")).data()).containsEntry("statusCode", 404)
                .containsEntry("error", "status 404, expected 200-399");
    }

    @Test
    void bodyMustContainTheText() throws Exception {
        server.respond(TestHttpServer.answer(200, "{\"status\": \"degraded\"}"));
        start(probe("contains", "bodyContains=healthy&failures=1"),
              probe("matches", "bodyMatches=RAW(\"status\":\\s*\"(ok|degraded)\")&successes=1"),
              probe("nomatch", "bodyMatches=RAW(\"status\":\\s*\"ok\")&failures=1"));
        Received down = awaitEvent(tag("contains", "down"));
        assertThat(down.data()).containsEntry("error", "body does not contain 'healthy'")
                .containsEntry("statusCode", 200);
        awaitEvent(tag("matches", "up"));
        assertThat(awaitEvent(tag("nomatch", "down")).data())
                .containsEntry("error", "body does not match '\"status\":\\s*\"ok\"'");
    }

    @Test
    void onlyMaxBodyBytesOfTheBodyAreSearched() throws Exception {
        String big = "x".repeat(100_000) + "needle";
        server.respond(TestHttpServer.answer(200, big));
        start(probe("short", "bodyContains=needle&maxBodyBytes=1024&failures=1"),
              probe("long", "bodyContains=needle&successes=1"));
        assertThat(awaitEvent(tag("short", "down")).data()).containsEntry("error", "body does not contain 'needle'");
        awaitEvent(tag("long", "up"));
    }

    @Test
    void headRequest() throws Exception {
        start(probe("head", "method=HEAD&successes=1"));
        awaitEvent(tag("head", "up"));
        assertThat(server.methods).containsOnly("HEAD");
    }

    @Test
    void hangingTargetTimesOut() throws Exception {
        try (HangingServer hanging = new HangingServer()) {
            start("probe:stuck?type=http&url=http://127.0.0.1:" + hanging.port() + "/&timeout=2s&failures=1");
            Received down = awaitEvent(tag("stuck", "down"));
            assertThat(down.data()).containsEntry("error", "timeout after 2s").doesNotContainKey("statusCode");
            assertThat(((Number) down.data().get("latencyMs")).longValue()).isGreaterThanOrEqualTo(2000);
            await().atMost(WAIT).until(() -> hanging.closedByClient.get() >= 1);
        }
    }

    @Test
    void aCheckStillRunningIsNotStartedAgain() throws Exception {
        try (HangingServer hanging = new HangingServer()) {
            start("probe:slow?type=http&url=http://127.0.0.1:" + hanging.port()
                  + "/&interval=100ms&timeout=1s&failures=1&metrics=true");
            awaitEvents(tag("slow", "result"), 3);
            long runs = consumer("slow").getRuns();
            int results = ofType(tag("slow", "result")).size();
            // one check at a time: at most the one in flight has no result yet
            assertThat(runs).isLessThanOrEqualTo(results + 1);
            assertThat(hanging.accepted.get()).isLessThanOrEqualTo(results + 1);
            assertThat(consumer("slow").getSkipped()).isGreaterThan(0);
        }
    }

    @Test
    void connectionRefused() throws Exception {
        start("probe:gone?type=http&url=http://127.0.0.1:" + Ports.free() + "/health&interval=100ms&failures=2");
        Received down = awaitEvent(tag("gone", "down"));
        assertThat(down.data()).containsEntry("error", "connection refused").containsEntry("consecutive", 2);
    }

    @Test
    void slowAnswerFailsMaxLatency() throws Exception {
        server.respond(exchange -> {
            try {
                Thread.sleep(300); // the server is slow; what is asserted is the error, not a time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestHttpServer.send(exchange, 200, "ok");
        });
        start(probe("slow", "maxLatency=50ms&failures=1"));
        Received down = awaitEvent(tag("slow", "down"));
        assertThat((String) down.data().get("error")).startsWith("slow: ").endsWith("ms, more than maxLatency 50ms");
        assertThat(down.data()).containsEntry("statusCode", 200);
    }

    @Test
    void metricsReportEveryCheck() throws Exception {
        start(probe("m", "metrics=true&successes=2"));
        List<Received> results = awaitEvents(tag("m", "result"), 3);
        Map<String, Object> first = results.get(0).data();
        assertThat(first).containsEntry("name", "m").containsEntry("type", "http").containsEntry("ok", true)
                .containsEntry("state", "unknown").containsEntry("consecutive", 1).containsEntry("statusCode", 200)
                .containsKeys("latencyMs", "since", "target").doesNotContainKey("error");
        assertThat(results.get(1).data()).containsEntry("state", "up").containsEntry("consecutive", 2);
        assertThat(results.get(0).headers()).containsEntry(ProbeConstants.STATE, "unknown")
                .containsEntry(ProbeConstants.OK, true);
        // the state event follows the result that confirmed it
        List<String> types = received.stream().map(Received::type).toList();
        assertThat(types.subList(0, 3)).containsExactly(tag("m", "result"), tag("m", "result"), tag("m", "up"));
    }
}
