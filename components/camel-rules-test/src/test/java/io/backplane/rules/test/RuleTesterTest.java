package io.backplane.rules.test;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runner against the sample rules: real bus, real Camel routes from YAML, actors stubbed. */
class RuleTesterTest {

    static final Path RULES = Path.of("src/test/resources/rules");

    @TempDir
    Path tmp;

    @Test
    void aUsersJUnitTestIsThreeLines() {
        RuleTester.forRules(RULES).run(Path.of("src/test/resources/cases")).assertAllPassed();
    }

    @Test
    void passingCasesAreListedWithTheirPlace() {
        TestReport report = RuleTester.forRules(RULES).run(Path.of("src/test/resources/cases/scale.yaml"));
        assertThat(report.passed()).as(report.text()).isTrue();
        assertThat(report.text()).isEqualTo("""
                PASS  src/test/resources/cases/scale.yaml:1  sustained high load scales out
                PASS  src/test/resources/cases/scale.yaml:15  load below a raised threshold does nothing
                2 cases: 2 passed, 0 failed
                """);
    }

    @Test
    void aFailingCaseSaysWhatWasExpectedWhatWasSeenAndWhatTheRulesDid() {
        TestReport report = RuleTester.forRules(RULES).run(Path.of("src/test/resources/failing-cases"));
        assertThat(report.passed()).isFalse();
        assertThat(report.failedCount()).isEqualTo(1);
        String text = report.text();
        assertThat(text).contains("FAIL  src/test/resources/failing-cases/wrong.yaml:1  a warning pages (it does not)")
                .contains("src/test/resources/failing-cases/wrong.yaml:5: expected endpoint ssh-action:* exactly 1 "
                          + "time; seen 0, sent instead:\n        bus:notify/chat/warning  body {")
                .contains("src/test/resources/failing-cases/wrong.yaml:7: expected bus notify/chat/warning exactly 2 "
                          + "times; seen 1, published with this tag:\n"
                          + "        notify/chat/warning  subject web01  data {\"severity\":\"warning\"}  (by page-on-critical)")
                .contains("what the rules did:")
                .contains("when simple: ${body[data][severity]} == 'critical'  => false")
                .contains("when simple: ${body[data][severity]} == 'warning'  => true")
                .endsWith("1 case: 0 passed, 1 failed\n");
        assertThatThrownBy(report::assertAllPassed).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("rule tests failed:\nFAIL  src/test/resources/failing-cases/wrong.yaml:1");
    }

    @Test
    void invalidRulesAreReportedWithFileAndLineAndNoCaseRuns() {
        TestReport report = RuleTester.forRules(RuleValidatorTest.BROKEN).run(Path.of("src/test/resources/cases"));
        assertThat(report.passed()).isFalse();
        assertThat(report.results()).isEmpty();
        assertThat(report.problems()).hasSize(8);
        assertThat(report.text())
                .contains("src/test/resources/broken-rules/unknown-step.yaml:6: unknown step 'fliter' (did you mean 'filter'?)")
                .endsWith("8 problems in the rules or cases: no case was run\n");
    }

    @Test
    void anInvalidCaseFileIsReportedLikeAnInvalidRule() throws Exception {
        Path cases = Files.writeString(tmp.resolve("cases.yaml"), """
                - name: typo
                  events: [{type: app/shop/client-load}]
                  expect:
                    - endpiont: "http:*"
                """);
        TestReport report = RuleTester.forRules(RULES).run(cases);
        assertThat(report.problems()).extracting(Problem::toString)
                .containsExactly(cases + ":4: unknown key 'endpiont' in expectation (did you mean 'endpoint'?)");
        assertThat(RuleTester.forRules(RULES).run(tmp.resolve("none")).problems()).extracting(Problem::toString)
                .containsExactly(tmp.resolve("none") + ": no such file or directory");
        assertThat(RuleTester.forRules(tmp.resolve("no-rules")).run(cases).problems()).extracting(Problem::toString)
                .containsExactly(tmp.resolve("no-rules") + ": not a directory");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThat(RuleTester.forRules(RULES).run(empty).problems()).extracting(Problem::toString)
                .containsExactly(empty + ": no cases found");
    }

    @Test
    void timeCanPassForRulesThatActWhenAWindowCloses() throws Exception {
        Path cases = Files.writeString(tmp.resolve("burst.yaml"), """
                - name: two failed logins become one burst when the window closes
                  events:
                    - {type: auth/login/failed, subject: alice}
                    - {type: auth/login/failed, subject: alice}
                    - wait: 2s
                  expect:
                    - bus: auth/login/burst
                      count: 1
                      subject: alice
                      data: {attempts: 2}
                    - endpoint: kafka:security-events
                      count: 1
                      body: {type: auth/login/burst, data: {attempts: 2}}
                """);
        // kafka: is not on this classpath: stubbing it by glob stands a placeholder in for the component
        TestReport report = RuleTester.forRules(Path.of("src/test/resources/timed-rules")).stub("kafka:*").run(cases);
        assertThat(report.passed()).as(report.text()).isTrue();
    }

    @Test
    void rulesThatCannotStartFailTheCaseWithCamelsReason() throws Exception {
        Path cases = Files.writeString(tmp.resolve("cases.yaml"), """
                - name: anything
                  events: [{type: app/a/b}]
                  expect: [{none: "http:*"}]
                """);
        TestReport noKafka = RuleTester.forRules(Path.of("src/test/resources/timed-rules")).run(cases);
        assertThat(noKafka.passed()).isFalse();
        assertThat(noKafka.results().get(0).error()).startsWith("the rules did not start: ")
                .contains("No endpoint could be found for: kafka://security-events");

        Path rules = Files.createDirectory(tmp.resolve("rules"));
        Files.writeString(rules.resolve("r.yaml"), """
                - route:
                    id: needs-settings
                    from:
                      uri: bus:app/**
                      steps:
                        - to: "http://{{scaler.host}}/scale"
                """);
        String missing = RuleTester.forRules(rules).run(cases).results().get(0).error();
        assertThat(missing).startsWith("the rules did not start: ").contains("scaler.host");
        // the setting given: the real http component creates the endpoint (checking its options), then it is stubbed
        Path scaled = Files.writeString(tmp.resolve("scaled.yaml"), """
                - name: scaled
                  events: [{type: app/a/b}]
                  expect: [{endpoint: "http://scaler.internal/scale", count: 1}]
                """);
        TestReport withHost = RuleTester.forRules(rules).property("scaler.host", "scaler.internal").run(scaled);
        assertThat(withHost.passed()).as(withHost.text()).isTrue();

        Files.writeString(rules.resolve("r.yaml"), """
                - route:
                    id: bad-option
                    from:
                      uri: bus:app/**
                      steps:
                        - to: "http://scaler.internal/scale?httpMethod=PUTT"
                """);
        assertThat(RuleTester.forRules(rules).run(cases).results().get(0).error())
                .startsWith("the rules did not start: ").contains("PUTT");
    }

    @Test
    void aRuleThatDoesNotFinishFailsTheCaseAfterTheTimeout() throws Exception {
        Path rules = Files.createDirectory(tmp.resolve("rules"));
        Files.writeString(rules.resolve("slow.yaml"), """
                - route:
                    id: slow
                    from:
                      uri: bus:app/**
                      steps:
                        - delay:
                            constant: 3000
                        - to: http://scaler.internal/scale
                """);
        Path cases = Files.writeString(tmp.resolve("cases.yaml"), """
                - name: slow
                  events: [{type: app/a/b}]
                  expect: [{endpoint: "http:*", count: 1}]
                """);
        CaseResult result = RuleTester.forRules(rules).timeout(java.time.Duration.ofSeconds(1)).run(cases).results().get(0);
        assertThat(result.passed()).isFalse();
        // the recorder gets the event before or after the slow rule: the bus's order, not fixed
        assertThat(result.error()).startsWith(cases + ":2: the rules were still busy 1 s after this step (1 exchanges "
                                              + "in flight, 1 events published and ").contains(" deliveries to rules done)");
        assertThat(result.trace()).contains("slow  from bus:app/**");
    }

    @Test
    void anEventTheBusRefusesFailsTheCaseAtItsLine() throws Exception {
        Path cases = Files.writeString(tmp.resolve("cases.yaml"), """
                - name: bad time
                  events:
                    - {type: app/shop/client-load, time: yesterday}
                  expect: [{none: "http:*"}]
                """);
        CaseResult result = RuleTester.forRules(RULES).run(cases).results().get(0);
        assertThat(result.passed()).isFalse();
        assertThat(result.error()).startsWith(cases + ":3: invalid event: ").contains("time");
    }

    @Test
    void settingsOfTheTesterAndOfTheCase() throws Exception {
        Path props = Files.writeString(tmp.resolve("rules.properties"), "client-load.threshold = 0.95\n");
        Path cases = Files.writeString(tmp.resolve("cases.yaml"), """
                - name: the file's threshold holds back 0.9
                  events: [{type: app/shop/client-load, subject: shop, data: {load: 0.9}}]
                  expect: [{none: "http*:*"}]
                - name: the case's own setting wins over the file
                  properties: {client-load.threshold: 0.5}
                  events: [{type: app/shop/client-load, subject: shop, data: {load: 0.9}}]
                  expect: [{endpoint: "http:*scale*", count: 1}]
                """);
        TestReport report = RuleTester.forRules(RULES).propertiesFile(props).run(cases);
        assertThat(report.passed()).as(report.text()).isTrue();

        // state: keeps its facts in memory in a test, unless the settings name a file
        Path rules = Files.createDirectory(tmp.resolve("rules"));
        Files.writeString(rules.resolve("r.yaml"), """
                - route:
                    id: where-is-state
                    from:
                      uri: bus:app/**
                      steps:
                        - setBody:
                            constant: "{{backplane.state.file}}"
                        - to: http://state.internal/file
                """);
        Path stateCases = Files.writeString(tmp.resolve("state.yaml"), """
                - name: in memory by default
                  events: [{type: app/a/b}]
                  expect: [{endpoint: "http://state.internal/file", body: none}]
                - name: the case's own file
                  properties: {backplane.state.file: /tmp/mine.json}
                  events: [{type: app/a/b}]
                  expect: [{endpoint: "http://state.internal/file", body: /tmp/mine.json}]
                """);
        TestReport state = RuleTester.forRules(rules).run(stateCases);
        assertThat(state.passed()).as(state.text()).isTrue();
    }
}
