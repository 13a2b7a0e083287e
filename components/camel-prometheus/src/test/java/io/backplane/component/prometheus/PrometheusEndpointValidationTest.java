package io.backplane.component.prometheus;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every bad option, or combination of options, is refused when the endpoint is created, with the fix named. */
class PrometheusEndpointValidationTest {

    private static final String OK = "url=http://127.0.0.1:9090&query=up";

    private DefaultCamelContext context;

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "prometheus:?" + OK + "                                      | prometheus: needs a name",
            "prometheus:x?query=up                                       | url is required",
            "prometheus:x?url=ftp://h:21&query=up                        | url must be an http:// or https:// address",
            "prometheus:x?url=localhost:9090&query=up                    | url must be an http:// or https:// address",
            "prometheus:x?url=RAW(http://u:pw@h:9090)&query=up           | url must not contain credentials",
            "prometheus:x?url=RAW(http://h:9090/?a=b)&query=up           | url must be the base address without ?query",
            "prometheus:x?url=http://h:9090                              | query is required",
            "prometheus:x?url=http://h:9090&query=%20                    | query is required",
            "prometheus:x?" + OK + "&interval=0                          | interval must be positive",
            "prometheus:x?" + OK + "&timeout=0                           | timeout must be positive",
            "prometheus:x?" + OK + "&maxBackoff=0                        | maxBackoff must be positive",
            "prometheus:x?" + OK + "&below=3                             | below needs above",
            "prometheus:x?" + OK + "&above=3&below=4                     | below (4.0) must be <= above (3.0)",
            "prometheus:x?" + OK + "&above=NaN                           | above must be a finite number",
            "prometheus:x?" + OK + "&above=5&below=-Infinity             | below must be a finite number",
            "prometheus:x?" + OK + "&subjectLabel=%20                    | subjectLabel must not be empty",
            "prometheus:x?" + OK + "&method=PUT                          | method must be GET or POST, was PUT",
            "prometheus:x?" + OK + "&token=t&username=u                  | set either token (bearer) or username and password (basic), not both",
            "prometheus:x?" + OK + "&password=p                          | password needs username",
            "prometheus:x?" + OK + "&interval=soon                       | Error binding property (interval=soon) with name: interval",
            "prometheus:x?" + OK + "&bogus=1                             | Unknown parameters=[{bogus=1}]",
    })
    void badOptionsAreRefused(String uri, String message) {
        assertThatThrownBy(() -> context.getEndpoint(uri.trim()))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .satisfies(e -> assertThat(messages(e)).contains(message.trim()));
    }

    @Test
    void credentialsInTheUrlAreNotEchoed() {
        assertThatThrownBy(() -> context.getEndpoint("prometheus:x?url=RAW(http://u:hunter2@h:9090)&query=up"))
                .satisfies(e -> assertThat(e.getCause().getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void goodOptionsAreAccepted() {
        PrometheusEndpoint e = context.getEndpoint("prometheus:error-rate?url=https://prom.example:9090/prefix/"
                                                   + "&query=up&interval=1m&above=0.05&below=0.04&method=post"
                                                   + "&subjectLabel=job&timeout=2s&maxBackoff=10m",
                                                   PrometheusEndpoint.class);
        assertThat(e.getInterval()).isEqualTo(60_000);
        assertThat(e.getTimeout()).isEqualTo(2_000);
        assertThat(e.getMaxBackoff()).isEqualTo(600_000);
        assertThat(e.getMethod()).isEqualTo("POST");
        assertThat(e.isThresholdMode()).isTrue();
        assertThat(e.resolveAt()).isEqualTo(0.04);
        assertThat(e.newClient().queryUri()).hasToString("https://prom.example:9090/prefix/api/v1/query");
        PrometheusEndpoint defaults = context.getEndpoint("prometheus:a/b*c?" + OK + "&above=2",
                                                          PrometheusEndpoint.class);
        assertThat(defaults.getInterval()).isEqualTo(15_000);
        assertThat(defaults.getTimeout()).isEqualTo(10_000);
        assertThat(defaults.getMaxBackoff()).isEqualTo(300_000);
        assertThat(defaults.getMethod()).isEqualTo("GET");
        assertThat(defaults.getSubjectLabel()).isEqualTo("instance");
        assertThat(defaults.resolveAt()).as("below defaults to above").isEqualTo(2.0);
        assertThat(defaults.tagPrefix()).as("the name is one safe tag segment").isEqualTo("monitor/prometheus/a_b_c");
    }

    @Test
    void itCannotBeUsedAsAProducer() {
        assertThatThrownBy(() -> {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:x").to("prometheus:x?" + OK);
                }
            });
        }).satisfies(e -> assertThat(messages(e)).contains("prometheus: is a consumer only"));
    }

    @Test
    void backoffDoublesUpToTheMaximumButNeverBelowTheInterval() {
        PrometheusEndpoint e = context.getEndpoint("prometheus:b?" + OK + "&interval=1s&maxBackoff=5s",
                                                   PrometheusEndpoint.class);
        PrometheusConsumer c = new PrometheusConsumer(e, exchange -> {
        });
        assertThat(c.backoff(1)).isEqualTo(2_000);
        assertThat(c.backoff(2)).isEqualTo(4_000);
        assertThat(c.backoff(3)).isEqualTo(5_000);
        assertThat(c.backoff(1000)).isEqualTo(5_000);
        PrometheusEndpoint small = context.getEndpoint("prometheus:c?" + OK + "&interval=10m&maxBackoff=5m",
                                                       PrometheusEndpoint.class);
        assertThat(new PrometheusConsumer(small, exchange -> {
        }).backoff(3)).isEqualTo(600_000);
    }

    /** The messages of an exception and its causes, joined. */
    private static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c.getMessage()).append(" | ");
        }
        return out.toString();
    }
}
