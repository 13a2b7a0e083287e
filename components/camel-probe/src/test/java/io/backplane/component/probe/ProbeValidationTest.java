package io.backplane.component.probe;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every bad option fails when the endpoint is created, with a message naming the option. */
class ProbeValidationTest extends ProbeTestSupport {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "type=ftp&host=a&port=1                             | type must be http, tcp or tls, was 'ftp'",
            "host=a&port=1                                      | type is required",
            "type=http                                          | url is required for type=http",
            "type=http&url=ftp://example.org/                   | url must be an http:// or https:// URL",
            "type=http&url=RAW(http://user:secret@example.org/) | url must not contain user info",
            "type=http&url=http://h/&expectedStatus=abc         | expectedStatus must be HTTP status codes",
            "type=http&url=http://h/&expectedStatus=200-700     | expectedStatus must be HTTP status codes",
            "type=http&url=http://h/&bodyMatches=RAW([a)        | bodyMatches is not a valid regular expression",
            "type=http&url=http://h/&method=POST                | method must be GET or HEAD",
            "type=http&url=http://h/&maxBodyBytes=0             | maxBodyBytes must be at least 1",
            "type=http&url=http://h/&host=h&port=80             | host applies to type=tcp and type=tls only, not type=http",
            "type=http&url=http://h/&trustStore=/x.p12          | trustStore applies to https:// URLs and type=tls only",
            "type=tcp&port=1                                    | host is required for type=tcp",
            "type=tcp&host=a                                    | port is required for type=tcp",
            "type=tls&host=a&port=70000                         | port must be 1-65535, was 70000",
            "type=tcp&host=a&port=1&failures=0                  | failures must be at least 1, was 0",
            "type=tcp&host=a&port=1&successes=0                 | successes must be at least 1, was 0",
            "type=tcp&host=a&port=1&timeout=0                   | timeout must be more than 0",
            "type=tcp&host=a&port=1&interval=0                  | interval must be more than 0",
            "type=tcp&host=a&port=1&emitInitial=sometimes       | emitInitial must be all, down or none, was 'sometimes'",
            "type=tcp&host=a&port=1&bodyContains=ok             | bodyContains applies to type=http only, not type=tcp",
            "type=tcp&host=a&port=1&minDaysLeft=3               | minDaysLeft applies to type=tls only, not type=tcp",
            "type=tcp&host=a&port=1&trustStore=/x.p12           | trustStore applies to type=http and type=tls only",
            "type=tls&host=a&port=1&minDaysLeft=-1              | minDaysLeft must be at least 0",
            "type=tls&host=a&port=1&trustStorePassword=x        | trustStorePassword and trustStoreType need trustStore",
            "type=tls&host=a&port=1&trustStore=/no/such.p12     | trustStore /no/such.p12 cannot be loaded",
            "type=tcp&host=a&port=1&subject=RAW( )              | subject must not be empty",
    })
    void badOptionsNameTheOption(String options, String message) throws Exception {
        context.start();
        assertThatThrownBy(() -> context.getEndpoint("probe:p?" + options))
                .satisfies(e -> assertThat(optionError(e).getMessage()).contains(message).doesNotContain("secret"));
    }

    @Test
    void wrongTrustStorePasswordIsReportedWithoutThePassword(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, "rightSecret".toCharArray());
        }
        context.start();
        String uri = "probe:p?type=tls&host=a&port=1&trustStore=" + store + "&trustStorePassword=wrongSecret";
        assertThatThrownBy(() -> context.getEndpoint(uri))
                .satisfies(e -> assertThat(optionError(e).getMessage())
                        .contains("trustStore " + store + " cannot be loaded: ")
                        .doesNotContain("Secret"));
    }

    @Test
    void unknownOptionIsRejected() throws Exception {
        context.start();
        assertThatThrownBy(() -> context.getEndpoint("probe:p?type=tcp&host=a&port=1&colour=red"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("colour");
    }

    @Test
    void nameIsRequired() throws Exception {
        context.start();
        assertThatThrownBy(() -> context.getEndpoint("probe:?type=tcp&host=a&port=1"))
                .satisfies(e -> assertThat(optionError(e).getMessage()).contains("the probe needs a name"));
    }

    @Test
    void durationsAcceptUnits() throws Exception {
        context.start();
        ProbeEndpoint endpoint = context.getEndpoint("probe:p?type=tcp&host=a&port=1&interval=1m&timeout=1500"
                                                     + "&maxLatency=2s&initialDelay=PT0.5S", ProbeEndpoint.class);
        assertThat(endpoint.getInterval()).isEqualTo(60_000);
        assertThat(endpoint.getTimeout()).isEqualTo(1500);
        assertThat(endpoint.getMaxLatency()).isEqualTo(2000);
        assertThat(endpoint.getInitialDelay()).isEqualTo(500);
    }

    @Test
    void probeCannotBeAProducer() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:x").to("probe:p?type=tcp&host=a&port=1");
            }
        });
        assertThatThrownBy(() -> context.start()).hasStackTraceContaining("probe: is a consumer only");
    }

    @Test
    void componentThreadCountsAreChecked() throws Exception {
        context.getComponent("probe", ProbeComponent.class).setWorkerThreads(0);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("probe:p?type=tcp&host=127.0.0.1&port=1").to("log:x");
            }
        });
        assertThatThrownBy(() -> context.start())
                .satisfies(e -> assertThat(optionError(e).getMessage()).contains("workerThreads must be at least 1"));
    }

    /** The component's own error: the innermost IllegalArgumentException of the cause chain. */
    static Throwable optionError(Throwable e) {
        Throwable found = null;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IllegalArgumentException) {
                found = c;
            }
        }
        assertThat(found).as("an IllegalArgumentException in the cause chain of " + e).isNotNull();
        return found;
    }
}
