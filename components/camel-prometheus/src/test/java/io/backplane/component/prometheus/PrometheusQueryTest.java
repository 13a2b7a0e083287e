package io.backplane.component.prometheus;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.backplane.core.EventHeaders;
import io.backplane.test.Ports;
import io.backplane.test.PrometheusServer;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer against a real Prometheus (one for the whole class) that scrapes a target the tests control, plus a
 * target with nothing listening (its up is 0).
 */
class PrometheusQueryTest extends PrometheusTestSupport {

    @TempDir
    static Path workDir;

    static MetricsTarget target;
    static PrometheusServer prometheus;
    static String deadTarget;

    @BeforeAll
    static void startPrometheus() throws Exception {
        target = MetricsTarget.start()
                .set("demo_value{instance=\"web01\"}", "1")
                .set("demo_value{instance=\"web02\"}", "2");
        deadTarget = "127.0.0.1:" + Ports.free();
        prometheus = PrometheusServer.start(workDir, null, List.of(target.hostPort(), deadTarget), null);
        prometheus.awaitSeries("demo_value", WAIT);
        awaitPrometheusValue(prometheus, "up{instance=\"" + deadTarget + "\"}", "0");
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void alwaysModeEmitsOneSampleEventPerSeriesAtEveryPoll() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("demo", prometheus.url(), "demo_value", "interval=200")).routeId("demo").process(collect());
            }
        });
        PrometheusConsumer consumer = consumer("demo");
        await().atMost(WAIT).until(() -> consumer.getSuccessfulPolls() >= 3);
        context.getRouteController().stopRoute("demo");
        // each poll emitted both series, nothing else (a poll cut short by the stop may have emitted one)
        int polls = (int) consumer.getSuccessfulPolls();
        assertThat(received).hasSizeBetween(2 * polls, 2 * polls + 1);
        assertThat(received).allSatisfy(r -> {
            assertThat(r.tag()).isEqualTo("monitor/prometheus/demo/sample");
            assertThat(r.state()).isEqualTo("sample");
            assertThat(r.event().source()).isEqualTo("prometheus/demo");
        });

        PrometheusTestSupport.Received web01 = received.stream()
                .filter(r -> "web01".equals(r.event().subject())).findFirst().orElseThrow();
        Map<String, Object> data = web01.data();
        assertThat(data).containsEntry("name", "demo")
                .containsEntry("query", "demo_value")
                .containsEntry("resultType", "vector")
                .containsEntry("value", 1.0)
                .containsEntry("valueText", "1")
                .containsEntry("labels", Map.of("__name__", "demo_value", "instance", "web01",
                                                "job", PrometheusServer.JOB))
                .doesNotContainKeys("above", "below", "reason");
        assertThat(Instant.parse((String) data.get("timestamp"))).isBetween(Instant.now().minusSeconds(60),
                                                                            Instant.now().plusSeconds(5));
        assertThat(web01.value()).isEqualTo(1.0);
        assertThat(web01.labels()).containsEntry("instance", "web01");
        assertThat(received).anySatisfy(r -> {
            assertThat(r.event().subject()).isEqualTo("web02");
            assertThat(r.data()).containsEntry("value", 2.0);
        });
        assertThat(consumer.getLastError()).isNull();
        assertThat(consumer.isHealthy()).isTrue();
    }

    @Test
    void thresholdModeFiresAboveAndResolvesAtOrBelowWithHysteresis() throws Exception {
        String web01 = "th_value{instance=\"web01\"}";
        String web02 = "th_value{instance=\"web02\"}";
        target.set(web01, "1").set(web02, "1");
        awaitPrometheusValue(prometheus, "th_value", "1");
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("cpu-hot", prometheus.url(), "th_value", "interval=200&above=5&below=3"))
                        .routeId("th").process(collect());
            }
        });
        PrometheusConsumer consumer = consumer("th");
        await().atMost(WAIT).until(() -> consumer.getSuccessfulPolls() >= 2);
        assertThat(received).as("nothing is above 5 yet").isEmpty();

        target.set(web01, "10");
        await().atMost(WAIT).until(() -> !withTag("monitor/prometheus/cpu-hot/firing").isEmpty());
        PrometheusTestSupport.Received firing = withTag("monitor/prometheus/cpu-hot/firing").get(0);
        assertThat(firing.event().subject()).isEqualTo("web01");
        assertThat(firing.state()).isEqualTo("firing");
        assertThat(firing.data()).containsEntry("value", 10.0)
                .containsEntry("valueText", "10")
                .containsEntry("above", 5.0)
                .containsEntry("below", 3.0)
                .containsEntry("reason", "above")
                .containsEntry("resultType", "vector");
        assertThat(consumer.getFiringSeries()).containsExactly(firing.labels());

        // 4 is no longer above 5 but not yet at or below 3: still firing
        target.set(web01, "4");
        awaitPrometheusValue(prometheus, web01, "4");
        long polls = consumer.getSuccessfulPolls();
        await().atMost(WAIT).until(() -> consumer.getSuccessfulPolls() >= polls + 2);
        assertThat(withTag("monitor/prometheus/cpu-hot/resolved")).isEmpty();
        assertThat(withTag("monitor/prometheus/cpu-hot/firing")).hasSize(1);

        target.set(web01, "3");
        await().atMost(WAIT).until(() -> !withTag("monitor/prometheus/cpu-hot/resolved").isEmpty());
        PrometheusTestSupport.Received resolved = withTag("monitor/prometheus/cpu-hot/resolved").get(0);
        assertThat(resolved.event().subject()).isEqualTo("web01");
        assertThat(resolved.data()).containsEntry("value", 3.0).containsEntry("reason", "below");
        assertThat(resolved.labels()).isEqualTo(firing.labels());

        // a firing series that disappears from the result resolves with reason "absent"
        target.set(web02, "50");
        await().atMost(WAIT).until(() -> withTag("monitor/prometheus/cpu-hot/firing").size() == 2);
        target.remove(web02);
        await().atMost(WAIT).until(() -> withTag("monitor/prometheus/cpu-hot/resolved").size() == 2);
        PrometheusTestSupport.Received absent = withTag("monitor/prometheus/cpu-hot/resolved").get(1);
        assertThat(absent.event().subject()).isEqualTo("web02");
        assertThat(absent.data()).containsEntry("reason", "absent")
                .containsEntry("value", null)
                .containsEntry("valueText", null)
                .containsEntry("labels", Map.of("__name__", "th_value", "instance", "web02",
                                                "job", PrometheusServer.JOB));
        assertThat(absent.value()).isNull();
        assertThat(consumer.getFiringSeries()).isEmpty();
        assertThat(received).hasSize(4);
        target.remove(web01);
    }

    @Test
    void scalarResultAndSubjectFallbacks() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("total", prometheus.url(), "scalar(sum(demo_value))", "interval=200"))
                        .routeId("scalar").process(collect());
                // no instance label after sum by (job): subject from the job label instead
                from(uri("per-job", prometheus.url(), "sum by (job) (demo_value)", "interval=200&subjectLabel=job"))
                        .routeId("per-job").process(collect());
            }
        });
        await().atMost(WAIT).until(() -> !withTag("monitor/prometheus/total/sample").isEmpty()
                                         && !withTag("monitor/prometheus/per-job/sample").isEmpty());
        PrometheusTestSupport.Received scalar = withTag("monitor/prometheus/total/sample").get(0);
        assertThat(scalar.event().subject()).as("no labels: the endpoint name").isEqualTo("total");
        assertThat(scalar.data()).containsEntry("resultType", "scalar")
                .containsEntry("labels", Map.of())
                .containsEntry("value", 3.0);
        PrometheusTestSupport.Received perJob = withTag("monitor/prometheus/per-job/sample").get(0);
        assertThat(perJob.event().subject()).isEqualTo(PrometheusServer.JOB);
        assertThat(perJob.data()).containsEntry("labels", Map.of("job", PrometheusServer.JOB));
    }

    @Test
    void nanAndInfinitiesAreNullValuesWithTheTextAndNeverCrossAThresholdWhenNaN() throws Exception {
        String one = "demo_value{instance=\"web01\"}";
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("inf", prometheus.url(), one + " / 0", "interval=200")).routeId("inf").process(collect());
                from(uri("ninf", prometheus.url(), "-" + one + " / 0", "interval=200")).process(collect());
                from(uri("nan", prometheus.url(), "(" + one + " - " + one + ") / 0", "interval=200"))
                        .routeId("nan").process(collect());
                from(uri("nan-th", prometheus.url(), "(" + one + " - " + one + ") / 0", "interval=200&above=0"))
                        .routeId("nan-th").process(collect());
                from(uri("inf-th", prometheus.url(), one + " / 0", "interval=200&above=1000000"))
                        .process(collect());
            }
        });
        await().atMost(WAIT).until(() -> !withTag("monitor/prometheus/inf/sample").isEmpty()
                                         && !withTag("monitor/prometheus/ninf/sample").isEmpty()
                                         && !withTag("monitor/prometheus/nan/sample").isEmpty()
                                         && !withTag("monitor/prometheus/inf-th/firing").isEmpty());
        assertValue(withTag("monitor/prometheus/inf/sample").get(0), "+Inf", Double.POSITIVE_INFINITY);
        assertValue(withTag("monitor/prometheus/ninf/sample").get(0), "-Inf", Double.NEGATIVE_INFINITY);
        assertValue(withTag("monitor/prometheus/nan/sample").get(0), "NaN", Double.NaN);
        assertValue(withTag("monitor/prometheus/inf-th/firing").get(0), "+Inf", Double.POSITIVE_INFINITY);
        // the JSON of the event is valid JSON: NaN is null there
        assertThat(withTag("monitor/prometheus/nan/sample").get(0).event().toString()).contains("\"value\":null");

        PrometheusConsumer nanThreshold = consumer("nan-th");
        long polls = nanThreshold.getSuccessfulPolls();
        await().atMost(WAIT).until(() -> nanThreshold.getSuccessfulPolls() >= polls + 2);
        assertThat(withTag("monitor/prometheus/nan-th/firing")).as("NaN is not above 0").isEmpty();
    }

    private static void assertValue(PrometheusTestSupport.Received r, String text, double header) {
        assertThat(r.data()).containsEntry("value", null).containsEntry("valueText", text);
        if (Double.isNaN(header)) {
            assertThat(r.value()).isNaN();
        } else {
            assertThat(r.value()).isEqualTo(header);
        }
    }

    @Test
    void badQueryEmitsNothingLogsOnceAndKeepsPolling() throws Exception {
        try (LogCapture log = LogCapture.of(PrometheusConsumer.class)) {
            start(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri("bad", prometheus.url(), "sum(", "interval=100&maxBackoff=200")).routeId("bad")
                            .process(collect());
                }
            });
            PrometheusConsumer consumer = consumer("bad");
            await().atMost(WAIT).until(() -> consumer.getFailedPolls() >= 4);
            assertThat(consumer.getLastError())
                    .startsWith("Prometheus at " + prometheus.url() + " rejected the query (bad_data, HTTP 400): ")
                    .contains("parse error");
            assertThat(consumer.isHealthy()).isFalse();
            assertThat(consumer.getLastErrorTime()).isNotNull();
            assertThat(received).isEmpty();
            assertThat(context.getRouteController().getRouteStatus("bad")).isEqualTo(ServiceStatus.Started);
            // one WARN for this error, not one per poll
            assertThat(log.messages(Level.WARN, "prometheus:bad poll failed")).hasSize(1)
                    .allSatisfy(m -> assertThat(m).contains("bad_data"));
        }
    }

    @Test
    void rangeVectorAndStringResultsAreClearErrors() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("range", prometheus.url(), "demo_value[1m]", "interval=100")).routeId("range")
                        .process(collect());
                from(uri("text", prometheus.url(), "\"hello\"", "interval=100")).routeId("text").process(collect());
            }
        });
        await().atMost(WAIT).until(() -> consumer("range").getFailedPolls() >= 2
                                         && consumer("text").getFailedPolls() >= 2);
        assertThat(consumer("range").getLastError()).contains("range vector (resultType matrix)")
                .contains("instant vector");
        assertThat(consumer("text").getLastError()).contains("resultType string")
                .contains("instant vector or a scalar");
        assertThat(received).isEmpty();
    }

    @Test
    void yamlExampleOfTheDocFiresForTheTargetThatIsDown() throws Exception {
        context.getPropertiesComponent().addInitialProperty("prometheus.url", prometheus.url());
        DocYamlExample.loadDocExample(context);
        context.start();
        await().atMost(WAIT).until(() -> DocYamlExample.bus(context).getReceivedCounter() > 0);
        DocYamlExample.assertDocExampleEvent(DocYamlExample.bus(context).getReceivedExchanges().get(0), deadTarget);
        assertThat(DocYamlExample.bus(context).getReceivedExchanges()).extracting(e -> e.getMessage()
                .getHeader(EventHeaders.SUBJECT)).containsOnly(deadTarget);
    }
}
