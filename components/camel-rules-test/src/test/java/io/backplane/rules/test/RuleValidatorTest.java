package io.backplane.rules.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleValidatorTest {

    static final Path BROKEN = Path.of("src/test/resources/broken-rules");

    @Test
    void theSampleRulesAreValid() {
        assertThat(new RuleValidator().validateDirectory(Path.of("src/test/resources/rules"))).isEmpty();
        assertThat(new RuleValidator().validateDirectory(Path.of("src/test/resources/timed-rules"))).isEmpty();
    }

    @Test
    void anUnknownStepIsReportedAtItsLineWithTheLikelyName() {
        assertThat(lines("unknown-step.yaml"))
                .containsExactly(BROKEN.resolve("unknown-step.yaml") + ":6: unknown step 'fliter' (did you mean 'filter'?)");
    }

    @Test
    void misspelledOptionKeysAreReportedAtTheirOwnLines() {
        // to: is "a string or an object": the string branch's complaint is noise and left out
        assertThat(lines("misspelled-option.yaml")).containsExactly(
                BROKEN.resolve("misspelled-option.yaml") + ":7: unknown key 'simpel' in setBody (did you mean 'simple'?)",
                BROKEN.resolve("misspelled-option.yaml") + ":10: unknown key 'parameterz' in to (did you mean 'parameters'?)");
    }

    @Test
    void badIndentationThatBreaksTheYamlIsASyntaxErrorWithItsLine() {
        List<String> lines = lines("bad-indentation.yaml");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith(BROKEN.resolve("bad-indentation.yaml") + ":7: YAML syntax error: ")
                .contains("check the indentation");
    }

    @Test
    void badIndentationThatStillParsesIsReportedWhereTheStepsLanded() {
        assertThat(lines("misplaced-steps.yaml")).containsExactly(
                BROKEN.resolve("misplaced-steps.yaml") + ":3: from: missing required key 'steps'",
                BROKEN.resolve("misplaced-steps.yaml") + ":5: unknown key 'steps' in route (steps go under from:, or "
                + "under the step they belong to: check the indentation)");
    }

    @Test
    void busTagsAndGlobsAreChecked() {
        List<String> lines = lines("bad-tags.yaml");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith(BROKEN.resolve("bad-tags.yaml") + ":4: from bus:app/disk*/full: ")
                .contains("mixes '*' with text");
        assertThat(lines.get(1)).startsWith(BROKEN.resolve("bad-tags.yaml") + ":6: to bus:action//scaled: ")
                .contains("empty segment");
    }

    @Test
    void aDirectoryIsCheckedFileByFileAndValidFilesSayNothing() {
        List<Problem> problems = new RuleValidator().validateDirectory(BROKEN);
        assertThat(problems).extracting(p -> p.file().getFileName().toString()).doesNotContain("valid.yaml")
                .contains("unknown-step.yaml", "misspelled-option.yaml", "bad-indentation.yaml",
                        "misplaced-steps.yaml", "bad-tags.yaml");
        assertThat(problems).hasSize(8);
    }

    @Test
    void scalarsAreTextAsTheYamlDslReadsThemButEnumsAreChecked(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("scalars.yaml"), """
                - route:
                    id: scalars
                    from:
                      uri: bus:app/**
                      steps:
                        - delay:
                            constant: 3000
                        - split:
                            simple: "${body[data][items]}"
                            parallelProcessing: "true"
                            timeout: 500
                            steps:
                              - log:
                                  message: item
                                  loggingLevel: LOUD
                """);
        assertThat(new RuleValidator().validate(file)).extracting(Problem::toString).containsExactly(
                file + ":15: loggingLevel: does not have a value in the enumeration [\"TRACE\", \"DEBUG\", \"INFO\", "
                + "\"WARN\", \"ERROR\", \"OFF\"]");
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        assertThatThrownBy(() -> new RuleValidator().validateDirectory(Path.of("no/such/dir")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a directory: no/such/dir");
    }

    @Test
    void closestNameAllowsTwoEditsAndSwaps() {
        assertThat(RuleValidator.closest("fliter", List.of("filter", "to", "log"))).isEqualTo("filter");
        assertThat(RuleValidator.closest("whens", List.of("when", "otherwise"))).isEqualTo("when");
        assertThat(RuleValidator.closest("completely", List.of("when", "otherwise"))).isNull();
    }

    private static List<String> lines(String file) {
        return new RuleValidator().validate(BROKEN.resolve(file)).stream().map(Problem::toString).toList();
    }
}
