package io.backplane.rules.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backplane.rules.test.RuleCase.EventStep;
import io.backplane.rules.test.RuleCase.Expectation;
import io.backplane.rules.test.RuleCase.WaitStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Case files: the format, and every mistake reported with file and line. */
class CaseReaderTest {

    @TempDir
    Path tmp;

    @Test
    void readsCasesWithEventsWaitsAndEveryKindOfExpectation() throws Exception {
        Path file = write("""
                - name: one
                  properties: {threshold: 0.8, enabled: true}
                  events:
                    - {type: app/shop/client-load, subject: shop, data: {load: 0.9}}
                    - wait: 2s
                    - wait: 250
                  expect:
                    - endpoint: http*:*scale*
                      count: 1
                      body: {service: shop}
                      headers: {CamelCloudEventSubject: shop}
                    - bus: action/**
                      subject: shop
                      data: {ok: true}
                    - none: ssh-action:*
                """);
        List<RuleCase> cases = CaseReader.read(file);
        assertThat(cases).hasSize(1);
        RuleCase c = cases.get(0);
        assertThat(c.name()).isEqualTo("one");
        assertThat(c.where()).isEqualTo(file + ":1");
        assertThat(c.properties()).containsExactly(Map.entry("threshold", "0.8"), Map.entry("enabled", "true"));
        assertThat(c.steps()).hasSize(3);
        EventStep event = (EventStep) c.steps().get(0);
        assertThat(event.attributes()).containsEntry("type", "app/shop/client-load").containsEntry("subject", "shop")
                .containsEntry("source", "rules-test").containsEntry("data", Map.of("load", 0.9));
        assertThat(event.line()).isEqualTo(4);
        assertThat(((WaitStep) c.steps().get(1)).duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(((WaitStep) c.steps().get(2)).duration()).isEqualTo(Duration.ofMillis(250));
        Expectation endpoint = c.expectations().get(0);
        assertThat(endpoint.kind()).isEqualTo(Expectation.Kind.ENDPOINT);
        assertThat(endpoint.count()).isEqualTo(1);
        assertThat(endpoint.line()).isEqualTo(8);
        assertThat(endpoint.describe()).isEqualTo("endpoint http*:*scale* exactly 1 time, body {\"service\":\"shop\"}, "
                                                  + "headers {\"CamelCloudEventSubject\":\"shop\"}");
        Expectation bus = c.expectations().get(1);
        assertThat(bus.kind()).isEqualTo(Expectation.Kind.BUS);
        assertThat(bus.count()).isNull();
        assertThat(bus.describe()).isEqualTo("bus action/** at least once, subject shop, data {\"ok\":true}");
        Expectation none = c.expectations().get(2);
        assertThat(none.count()).isZero();
        assertThat(none.describe()).isEqualTo("endpoint ssh-action:* never");
    }

    @Test
    void aSingleCaseMayBeAMapAndSeveralFilesMakeADirectory() throws Exception {
        write("""
                name: alone
                events: [{type: a/b}]
                expect: [{none: "http:*"}]
                """);
        assertThat(CaseReader.read(tmp.resolve("cases.yaml"))).extracting(RuleCase::name).containsExactly("alone");
        Files.writeString(tmp.resolve("notes.txt"), "not a case file");
        assertThat(CaseReader.caseFiles(tmp)).containsExactly(tmp.resolve("cases.yaml"));
        assertThatThrownBy(() -> CaseReader.caseFiles(tmp.resolve("missing")))
                .hasMessage("no such file or directory: " + tmp.resolve("missing"));
    }

    @Test
    void everyMistakeIsReportedWithFileAndLine() throws Exception {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("""
                - name: typo
                  events: [{type: a/b}]
                  expct: [{none: "http:*"}]
                """, ":3: unknown key 'expct' in case (did you mean 'expect'?)");
        bad.put("""
                - name: no type
                  events:
                    - {subject: web01}
                  expect: [{none: "http:*"}]
                """, ":3: an event needs a type: (its tag, e.g. app/shop/client-load)");
        bad.put("""
                - name: bad tag
                  events:
                    - type: app//load
                  expect: [{none: "http:*"}]
                """, ":3: tag 'app//load' has an empty segment");
        bad.put("""
                - name: bad count
                  events: [{type: a/b}]
                  expect:
                    - endpoint: "http:*"
                      count: one
                """, ":5: count must be a whole number 0 or more, not one");
        bad.put("""
                - name: bad wait
                  events:
                    - wait: soon
                  expect: [{none: "http:*"}]
                """, ":3: a duration is milliseconds or a number with ms, s or m (500ms, 2s), not soon");
        bad.put("""
                - name: two kinds
                  events: [{type: a/b}]
                  expect:
                    - endpoint: "http:*"
                      bus: a/**
                """, ":4: an expectation names exactly one of endpoint: (a URI glob), bus: (a tag glob) or none: "
                     + "(a URI glob that must receive nothing)");
        bad.put("""
                - name: data not a map
                  events:
                    - type: a/b
                      data: [1, 2]
                  expect: [{none: "http:*"}]
                """, ":4: data must be a map (the event's JSON object), not a list");
        bad.put("""
                - name: nothing expected
                  events: [{type: a/b}]
                """, ":1: case 'nothing expected' expects nothing: add expect: (use none: or count: 0 for "
                     + "\"nothing happens\")");
        bad.put("""
                - events: [{type: a/b}]
                  expect: [{none: "http:*"}]
                """, ":1: a case needs a name: (a sentence saying what it checks)");
        bad.put("""
                - name: bad indentation
                  events:
                    - type: a/b
                   expect: []
                """, ":4: YAML syntax error: ");
        bad.put("""
                - name: body on a bus expectation
                  events: [{type: a/b}]
                  expect:
                    - bus: a/**
                      body: {x: 1}
                """, ":4: a bus: expectation checks subject: and data:, not body: or headers:");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            Path file = write(c.getKey());
            assertThatThrownBy(() -> CaseReader.read(file)).as(c.getKey())
                    .isInstanceOf(YamlTree.ProblemException.class)
                    .hasMessageStartingWith(file + c.getValue());
        }
    }

    private Path write(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("cases.yaml"), yaml);
    }
}
