package io.backplane.rules.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules written with Backplane's ev language, which the YAML DSL schema does not know: validated, run, traced. */
class EvRulesTest {

    @TempDir
    Path tmp;

    @Test
    void evExpressionsValidateRunAndShowInTraces() throws Exception {
        Path rules = Files.createDirectory(tmp.resolve("rules"));
        Files.writeString(rules.resolve("ev.yaml"), """
                - route:
                    id: severe
                    from:
                      uri: bus:monitor/**/firing
                      steps:
                        - filter:
                            ev: "data.alert.severity > 2"
                            steps:
                              - choice:
                                  when:
                                    - ev: "data.alert.name == 'disk'"
                                      steps:
                                        - setBody:
                                            ev: "${data.alert.name} on ${subject}"
                                        - to: http://cleaner.internal/clean
                                  otherwise:
                                    steps:
                                      - to: bus:notify/chat/severe
                """);
        assertThat(new RuleValidator().validateDirectory(rules)).isEmpty();

        String trace = RuleTester.forRules(rules).trace(Map.of("type", "monitor/am/disk/firing", "subject", "db01",
                "data", Map.of("alert", Map.of("name", "disk", "severity", 4))));
        assertThat(trace).contains("""
                    filter ev: data.alert.severity > 2  => true
                      choice
                        when ev: data.alert.name == 'disk'  => true
                """).contains("""
                stubbed endpoints reached (not called for real):
                  http://cleaner.internal/clean  body disk on db01
                """);

        Path cases = Files.writeString(tmp.resolve("cases.yaml"), """
                - name: a severe disk alert cleans, others go to the chat, mild ones do nothing
                  events:
                    - {type: monitor/am/disk/firing, subject: db01, data: {alert: {name: disk, severity: 4}}}
                    - {type: monitor/am/cpu/firing, subject: db01, data: {alert: {name: cpu, severity: 3}}}
                    - {type: monitor/am/disk/firing, subject: db02, data: {alert: {name: disk, severity: 1}}}
                  expect:
                    - endpoint: http://cleaner.internal/clean
                      count: 1
                      body: disk on db01
                    - bus: notify/chat/severe
                      count: 1
                      data: {alert: {name: cpu}}
                """);
        TestReport report = RuleTester.forRules(rules).run(cases);
        assertThat(report.passed()).as(report.text()).isTrue();
    }

    @Test
    void anEvKeyWhereNoExpressionGoesIsStillReported() throws Exception {
        Path rules = Files.createDirectory(tmp.resolve("rules"));
        Files.writeString(rules.resolve("ev.yaml"), """
                - route:
                    id: misplaced
                    ev: "data.x > 1"
                    from:
                      uri: bus:app/**
                      steps:
                        - log: x
                """);
        assertThat(new RuleValidator().validateDirectory(rules)).extracting(Problem::toString)
                .containsExactly(rules.resolve("ev.yaml") + ":3: 'ev' is not allowed here (not where an expression goes)");
    }
}
