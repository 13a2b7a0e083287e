package io.backplane.rules.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of docs/rule-testing.md, run as written there: its files (blocks after {@code <!-- file: path -->})
 * are written out, and the outputs it shows (blocks after {@code <!-- output: test|trace -->}) must be what the
 * runner and the trace print.
 */
class DocExampleTest {

    static final Path DOC = Path.of("../../docs/rule-testing.md");
    private static final Pattern BLOCK = Pattern.compile("<!-- (file|output): (\\S+) -->\\n```\\w*\\n(.*?)```",
            Pattern.DOTALL);

    @TempDir
    Path tmp;

    @Test
    void theDocumentedExampleRunsAndPrintsWhatTheDocShows() throws Exception {
        Map<String, String> outputs = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(Files.readString(DOC));
        int files = 0;
        while (m.find()) {
            if (m.group(1).equals("file")) {
                Path file = tmp.resolve(m.group(2));
                Files.createDirectories(file.getParent());
                Files.writeString(file, m.group(3));
                files++;
            } else {
                outputs.put(m.group(2), m.group(3));
            }
        }
        assertThat(files).isEqualTo(3);
        assertThat(outputs).containsOnlyKeys("test", "trace");

        TestReport report = RuleTester.forRules(tmp.resolve("routes")).run(tmp.resolve("tests"));
        assertThat(report.passed()).as(report.text()).isTrue();
        assertThat("$ backplane test routes tests\n" + relative(report.text())).isEqualTo(outputs.get("test"));

        String trace = RuleTester.forRules(tmp.resolve("routes")).property("client-load.threshold", "0.8")
                .trace(tmp.resolve("event.json"));
        assertThat("$ backplane trace routes event.json --set client-load.threshold=0.8\n" + relative(trace))
                .isEqualTo(outputs.get("trace"));
    }

    @Test
    void theCookbookCasesAreValidCaseFiles() throws Exception {
        Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("../../docs/rules/testing.md")));
        assertThat(m.find()).isTrue();
        Path cases = Files.writeString(tmp.resolve("disk.yaml"), m.group(1));
        assertThat(CaseReader.read(cases)).extracting(RuleCase::name).containsExactly(
                "a full disk on a database host runs the cleanup once", "a warning does not run anything");
    }

    private String relative(String text) {
        return text.replace(tmp + "/", "");
    }
}
