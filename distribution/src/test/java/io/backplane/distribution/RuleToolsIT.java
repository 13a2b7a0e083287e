package io.backplane.distribution;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** backplane validate / test / trace, run from the built jar as a user runs them: exit codes and output. */
class RuleToolsIT {

    static final String RULES = """
            - route:
                id: scale-out
                from:
                  uri: bus:app/*/client-load
                  steps:
                    - filter:
                        simple: "${body[data][load]} > {{client-load.threshold}}"
                        steps:
                          - setBody:
                              simple: '{"service": "${header.CamelCloudEventSubject}"}'
                          - to: http://scaler.internal/scale?httpMethod=POST
                          - to: bus:action/http/scale-out/ok
            """;

    static final String PASSING = """
            - name: high load scales out
              events:
                - {type: app/shop/client-load, subject: shop, data: {load: 0.9}}
              expect:
                - endpoint: http*:*scale*
                  count: 1
                  body: {service: shop}
                - bus: action/http/scale-out/ok
                  count: 1
            """;

    static final String FAILING = """
            - name: low load scales out (it does not)
              events:
                - {type: app/shop/client-load, subject: shop, data: {load: 0.2}}
              expect:
                - endpoint: http*:*scale*
                  count: 1
            """;

    static final String BROKEN = """
            - route:
                id: typo
                from:
                  uri: bus:app/**
                  steps:
                    - fliter:
                        simple: "${body[data][load]} > 1"
            """;

    @TempDir
    Path tmp;

    @Test
    void validateTestAndTraceFromTheJar() throws Exception {
        Files.createDirectories(tmp.resolve("routes"));
        Files.writeString(tmp.resolve("routes/scale.yaml"), RULES);
        Files.createDirectories(tmp.resolve("tests"));
        Files.writeString(tmp.resolve("tests/a-passing.yaml"), PASSING);
        Files.writeString(tmp.resolve("tests/b-failing.yaml"), FAILING);
        Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(tmp.resolve("broken/typo.yaml"), BROKEN);
        Files.writeString(tmp.resolve("event.json"), "{\"type\": \"app/shop/client-load\", \"subject\": \"shop\", "
                                                     + "\"data\": {\"load\": 0.9}}");

        var validate = BackplaneProcess.runJar(tmp, "validate", "broken");
        assertThat(validate.exitCode()).as(validate.output()).isEqualTo(1);
        assertThat(validate.output()).contains("broken/typo.yaml:6: unknown step 'fliter' (did you mean 'filter'?)")
                .contains("1 problem in 1 rule file");

        // test validates first: invalid rules run no case
        var invalid = BackplaneProcess.runJar(tmp, "test", "broken", "tests");
        assertThat(invalid.exitCode()).as(invalid.output()).isEqualTo(2);
        assertThat(invalid.output()).contains("broken/typo.yaml:6: unknown step 'fliter'")
                .contains("1 problem in the rules or cases: no case was run");

        var test = BackplaneProcess.runJar(tmp, "test", "routes", "tests", "--set", "client-load.threshold=0.8");
        assertThat(test.exitCode()).as(test.output()).isEqualTo(1);
        assertThat(test.output()).contains("PASS  tests/a-passing.yaml:1  high load scales out")
                .contains("FAIL  tests/b-failing.yaml:1  low load scales out (it does not)")
                .contains("tests/b-failing.yaml:5: expected endpoint http*:*scale* exactly 1 time; seen 0")
                .contains("filter simple: ${body[data][load]} > {{client-load.threshold}}  => false")
                .contains("2 cases: 1 passed, 1 failed");

        var trace = BackplaneProcess.runJar(tmp, "trace", "routes", "event.json", "--set", "client-load.threshold=0.8");
        assertThat(trace.exitCode()).as(trace.output()).isZero();
        assertThat(trace.output())
                .contains("scale-out  from bus:app/*/client-load  (routes/scale.yaml:1)  matched")
                .contains("filter simple: ${body[data][load]} > {{client-load.threshold}}  => true")
                .contains("to http://scaler.internal/scale?httpMethod=POST  [stubbed]")
                .contains("event action/http/scale-out/ok  subject shop  data {\"service\":\"shop\"}  (published by scale-out)")
                .contains("http://scaler.internal/scale?httpMethod=POST  body {\"service\":\"shop\"}");
    }
}
