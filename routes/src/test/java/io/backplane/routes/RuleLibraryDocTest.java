package io.backplane.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule-library examples of docs/rules.md are the ones the tests run, character for character. */
class RuleLibraryDocTest {

    @Test
    void theCookbookShowsTheTestedRules() throws Exception {
        String page = Files.readString(Path.of("../docs/rules.md"));
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(page);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).contains(RuleLibraryOnceWithinTest.RULES, RuleLibraryThresholdTest.RULES,
                RuleLibraryFlappingTest.RULES, RuleLibraryDiskFillTest.RULES, RuleLibraryHeartbeatTest.RULES,
                RuleLibraryAlertFactsTest.RULES, RuleLibraryAlertFactsTest.GATES);
    }
}
