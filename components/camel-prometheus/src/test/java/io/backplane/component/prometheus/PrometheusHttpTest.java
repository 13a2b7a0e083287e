package io.backplane.component.prometheus;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the consumer sends (credentials, method, query) and how it reports HTTP-level failures, against a local
 * server that records requests and answers as told.
 */
class PrometheusHttpTest extends PrometheusTestSupport {

    private static final String QUERY = "rate(http_errors_total{code=~\"5..\"}[5m]) > 0.05";

    private RecordingApi api;

    @BeforeEach
    void startApi() throws Exception {
        api = new RecordingApi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private void route(String id, String options) throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(id, api.url(), QUERY, options)).routeId(id).process(collect());
            }
        });
    }

    @Test
    void bearerTokenIsSentWithGetAndTheAnswerBecomesAnEvent() throws Exception {
        context.getPropertiesComponent().addInitialProperty("prom.token", "s3cr3t-token");
        route("bearer", "interval=200&token={{prom.token}}");
        await().atMost(WAIT).until(() -> !received.isEmpty());

        RecordingApi.Request request = api.requests().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.authorization()).isEqualTo("Bearer s3cr3t-token");
        assertThat(request.rawQuery()).startsWith("query=");
        assertThat(URLDecoder.decode(request.rawQuery().substring(6), StandardCharsets.UTF_8)).isEqualTo(QUERY);

        PrometheusTestSupport.Received r = received.get(0);
        assertThat(r.tag()).isEqualTo("monitor/prometheus/bearer/sample");
        assertThat(r.event().subject()).isEqualTo("a");
        assertThat(r.data()).containsEntry("labels", Map.of("instance", "a", "job", "node"))
                .containsEntry("value", 3.0)
                .containsEntry("timestamp", "2023-11-14T22:13:20.500Z")
                .containsEntry("query", QUERY);
    }

    @Test
    void yamlExampleOfTheDocWithATokenFromProperties() throws Exception {
        context.getPropertiesComponent().addInitialProperty("prometheus.url", api.url());
        context.getPropertiesComponent().addInitialProperty("prometheus.token", "doc-t0ken");
        DocYamlExample.load(context, DocYamlExample.YAML_WITH_TOKEN);
        context.start();
        await().atMost(WAIT).until(() -> DocYamlExample.bus(context).getReceivedCounter() > 0);
        assertThat(api.requests().get(0).authorization()).isEqualTo("Bearer doc-t0ken");
        assertThat(URLDecoder.decode(api.requests().get(0).rawQuery().substring(6), StandardCharsets.UTF_8))
                .isEqualTo("sum by (instance) (rate(http_errors_total[5m])) / sum by (instance) "
                           + "(rate(http_requests_total[5m]))");
        Event event = DocYamlExample.bus(context).getReceivedExchanges().get(0).getMessage().getBody(Event.class);
        // the canned answer's value 3 is above 0.05
        assertThat(event.type()).isEqualTo("monitor/prometheus/error-rate/firing");
        assertThat(event.subject()).isEqualTo("a");
        assertThat(event.data()).containsEntry("above", 0.05).containsEntry("below", 0.04);
    }

    @Test
    void basicCredentialsAreSentWithPostAsAForm() throws Exception {
        route("basic", "interval=200&method=POST&username=ops&password=pa:ss");
        await().atMost(WAIT).until(() -> !received.isEmpty());

        RecordingApi.Request request = api.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.authorization()).isEqualTo(
                "Basic " + Base64.getEncoder().encodeToString("ops:pa:ss".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.rawQuery()).isNull();
        assertThat(URLDecoder.decode(request.body().substring("query=".length()), StandardCharsets.UTF_8))
                .isEqualTo(QUERY);
    }

    @Test
    void withoutCredentialsNoAuthorizationHeaderIsSent() throws Exception {
        route("open", "interval=200");
        await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(api.requests()).allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void http500IsReportedThenRecoveryClearsTheError() throws Exception {
        api.answer(RecordingApi.Answer.text(500, "upstream exploded\n"));
        route("flaky", "interval=100&maxBackoff=200");
        PrometheusConsumer consumer = consumer("flaky");
        await().atMost(WAIT).until(() -> consumer.getFailedPolls() >= 2);
        assertThat(consumer.getLastError())
                .isEqualTo("Prometheus at " + api.url() + " answered HTTP 500: upstream exploded");
        assertThat(received).isEmpty();

        api.answer(RecordingApi.Answer.json(200, RecordingApi.VECTOR));
        // back to the normal interval once a poll succeeds
        await().atMost(WAIT).until(() -> !received.isEmpty() && consumer.getNextDelay() == 100);
        assertThat(consumer.getLastError()).isNull();
        assertThat(consumer.getConsecutiveFailures()).isZero();
        assertThat(consumer.getLastSuccessTime()).isNotNull();
    }

    @Test
    void unauthorizedSaysWhetherCredentialsAreMissingOrRefused() throws Exception {
        api.answer(RecordingApi.Answer.text(401, "Unauthorized"));
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("none", api.url(), QUERY, "interval=100")).routeId("none").process(collect());
                from(uri("wrong", api.url(), QUERY, "interval=100&token=nope")).routeId("wrong").process(collect());
            }
        });
        await().atMost(WAIT).until(() -> consumer("none").getLastError() != null
                                         && consumer("wrong").getLastError() != null);
        assertThat(consumer("none").getLastError()).isEqualTo("Prometheus at " + api.url() + " answered HTTP 401: "
                                                              + "it requires credentials (set token, or username "
                                                              + "and password)");
        assertThat(consumer("wrong").getLastError()).isEqualTo("Prometheus at " + api.url() + " answered HTTP 401: "
                                                               + "the configured credentials were refused");
        assertThat(consumer("wrong").getLastError()).doesNotContain("nope");
        assertThat(received).isEmpty();
    }

    @Test
    void prometheusErrorAnswersCarryTheirTypeAndMessage() throws Exception {
        // a real answer of Prometheus to a query that runs out of time
        api.answer(RecordingApi.Answer.json(503, "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":"
                                                 + "\"query timed out in expression evaluation\"}"));
        route("slow", "interval=100");
        await().atMost(WAIT).until(() -> consumer("slow").getLastError() != null);
        assertThat(consumer("slow").getLastError()).isEqualTo("Prometheus at " + api.url() + " rejected the query "
                                                              + "(timeout, HTTP 503): query timed out in expression "
                                                              + "evaluation");
    }

    @Test
    void anAnswerThatIsNotPrometheusJsonIsAClearError() throws Exception {
        api.answer(RecordingApi.Answer.text(200, "<html>login page</html>"));
        route("html", "interval=100");
        await().atMost(WAIT).until(() -> consumer("html").getLastError() != null);
        assertThat(consumer("html").getLastError()).isEqualTo("the answer of " + api.url() + "/api/v1/query is not "
                                                              + "Prometheus API JSON: <html>login page</html>");
        assertThat(received).isEmpty();
    }

    @Test
    void aRedirectIsReportedNotFollowed() throws Exception {
        api.answer(new RecordingApi.Answer(302, "text/plain", "", "https://sso.example/login"));
        route("redirect", "interval=100&token=t");
        await().atMost(WAIT).until(() -> consumer("redirect").getLastError() != null);
        assertThat(consumer("redirect").getLastError()).isEqualTo(
                "Prometheus at " + api.url() + " answered HTTP 302 (redirect to https://sso.example/login): set url "
                + "to the address Prometheus answers on");
        assertThat(api.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer t"));
    }

    @Test
    void aPrometheusThatDoesNotAnswerTimesOutAndStopIsPrompt() throws Exception {
        api.hang();
        route("hung", "interval=100&timeout=300ms&maxBackoff=300");
        PrometheusConsumer consumer = consumer("hung");
        await().atMost(WAIT).until(() -> consumer.getLastError() != null);
        assertThat(consumer.getLastError()).isEqualTo("no answer from Prometheus at " + api.url()
                                                      + " within 300 ms (option timeout)");

        // stop while a request is waiting for its answer: the consumer does not wait for the timeout
        context.getRouteController().stopRoute("hung");
        int before = api.requests().size();
        route("hung2", "interval=100&timeout=60s");
        await().atMost(WAIT).until(() -> api.requests().size() > before);
        long started = System.nanoTime();
        context.getRouteController().stopRoute("hung2");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        await().atMost(WAIT).until(() -> threadsNamed("prometheus:hung") + threadsNamed("prometheus:hung2") == 0);
        assertThat(consumer("hung2").getSuccessfulPolls()).isZero();
    }

    static long threadsNamed(String part) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().endsWith(" - " + part)).count();
    }
}
