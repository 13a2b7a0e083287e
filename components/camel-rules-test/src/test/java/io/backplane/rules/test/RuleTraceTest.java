package io.backplane.rules.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.backplane.core.InvalidEventException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trace mode: which rules matched an event's tag, every predicate's answer, the endpoints reached. */
class RuleTraceTest {

    static final RuleTester TESTER = RuleTester.forRules(RuleTesterTest.RULES);

    @TempDir
    Path tmp;

    @Test
    void aMatchingEventShowsTheGlobsThePredicatesAndTheEndpoints() {
        String trace = TESTER.trace(Path.of("src/test/resources/events/critical.json"));
        assertThat(trace).startsWith("""
                event monitor/alertmanager/DiskFull/firing  subject db01  data {"severity":"critical"}  (from the test)
                  page-on-critical  from bus:monitor/**/firing  (src/test/resources/rules/page.yaml:2)  matched
                    choice
                      when simple: ${body[data][severity]} == 'critical'  => true
                        to ssh-action:oncall?command=page  [stubbed]
                  audit  from bus:action/**  (src/test/resources/rules/page.yaml:18)  not matched
                  scale-out  from bus:app/*/client-load  (src/test/resources/rules/scale.yaml:2)  not matched
                stubbed endpoints reached (not called for real):
                  ssh-action:oncall?command=page  body {"specversion":"1.0",""");
    }

    @Test
    void anEventNoRuleListensToMatchesNothing() {
        String trace = TESTER.trace(Map.of("type", "app/shop/deployed", "subject", "shop"));
        assertThat(trace).isEqualTo("""
                event app/shop/deployed  subject shop  data {}  (from the test)
                  page-on-critical  from bus:monitor/**/firing  (src/test/resources/rules/page.yaml:2)  not matched
                  audit  from bus:action/**  (src/test/resources/rules/page.yaml:18)  not matched
                  scale-out  from bus:app/*/client-load  (src/test/resources/rules/scale.yaml:2)  not matched
                stubbed endpoints reached: none
                """);
    }

    @Test
    void aMatchedRuleWhoseFilterSaysNoShowsTheFalsePredicate() {
        String trace = TESTER.trace(Map.of("type", "app/shop/client-load", "subject", "shop", "data",
                Map.of("load", 0.5)));
        assertThat(trace).contains("""
                  scale-out  from bus:app/*/client-load  (src/test/resources/rules/scale.yaml:2)  matched
                    filter simple: ${body[data][load]} > {{client-load.threshold:0.8}}  => false
                stubbed endpoints reached: none
                """);
        assertThat(trace).doesNotContain("http://");
    }

    @Test
    void eventsPublishedByRulesAreTracedInTurnWithTheRuleThatPublishedThem() {
        String trace = TESTER.trace(Map.of("type", "app/shop/client-load", "subject", "shop", "data",
                Map.of("load", 0.9)));
        assertThat(trace).contains("""
                  scale-out  from bus:app/*/client-load  (src/test/resources/rules/scale.yaml:2)  matched
                    filter simple: ${body[data][load]} > {{client-load.threshold:0.8}}  => true
                      setBody[simple{{"service": "${header.CamelCloudEventSubject}", "by": 1}}]
                      to http://scaler.internal/scale?httpMethod=POST  [stubbed]
                      to bus:action/http/scale-out/ok
                event action/http/scale-out/ok  subject shop  data {"service":"shop","by":1}  (published by scale-out)
                  page-on-critical  from bus:monitor/**/firing  (src/test/resources/rules/page.yaml:2)  not matched
                  audit  from bus:action/**  (src/test/resources/rules/page.yaml:18)  matched
                    log[action ${body[type]} for ${body[subject]}]
                """).contains("""
                stubbed endpoints reached (not called for real):
                  http://scaler.internal/scale?httpMethod=POST  body {"service":"shop","by":1}
                """);
    }

    @Test
    void otherwiseBranchesAndFailingStepsAreShown() throws Exception {
        Path rules = Files.createDirectory(tmp.resolve("rules"));
        Files.writeString(rules.resolve("r.yaml"), """
                - route:
                    id: strict
                    from:
                      uri: bus:app/**
                      steps:
                        - choice:
                            when:
                              - simple: "${body[data][n]} > 10"
                                steps:
                                  - to: direct:big
                            otherwise:
                              steps:
                                - throwException:
                                    exceptionType: java.lang.IllegalStateException
                                    message: "too small"
                - route:
                    id: big-handler
                    from:
                      uri: direct:big
                      steps:
                        - log: "big: ${body[data][n]}"
                """);
        String trace = RuleTester.forRules(rules).trace(Map.of("type", "app/x/y", "data", Map.of("n", 3)));
        assertThat(trace).contains("""
                  strict  from bus:app/**  (%s:1)  matched
                    choice
                      when simple: ${body[data][n]} > 10  => false
                      otherwise
                        throwException[]
                    failed: IllegalStateException: too small
                """.formatted(rules.resolve("r.yaml")));
        // steps of a route reached through direct: belong to the rule that received the event
        String big = RuleTester.forRules(rules).trace(Map.of("type", "app/x/y", "data", Map.of("n", 30)));
        assertThat(big).contains("""
                      when simple: ${body[data][n]} > 10  => true
                        to direct:big
                    [big-handler] log[big: ${body[data][n]}]
                """).doesNotContain("failed");
    }

    @Test
    void invalidRulesAndInvalidEventsAreClearErrors() throws Exception {
        assertThatThrownBy(() -> RuleTester.forRules(RuleValidatorTest.BROKEN).trace(Map.of("type", "a/b")))
                .isInstanceOf(InvalidRulesException.class)
                .hasMessageContaining("unknown-step.yaml:6: unknown step 'fliter'")
                .satisfies(e -> assertThat(((InvalidRulesException) e).problems()).hasSize(8));
        Path array = Files.writeString(tmp.resolve("array.json"), "[1]");
        assertThatThrownBy(() -> TESTER.trace(array)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(array.toString());
        Path noType = Files.writeString(tmp.resolve("no-type.json"), "{\"subject\": \"web01\"}");
        assertThatThrownBy(() -> TESTER.trace(noType)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("type");
        assertThatThrownBy(() -> TESTER.trace(tmp.resolve("missing.json"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read " + tmp.resolve("missing.json") + ": no such file");
    }
}
