package io.backplane.distribution;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.backplane.rules.test.Problem;
import io.backplane.rules.test.RuleValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code backplane validate RULES_DIR}: checks YAML rules against Camel's YAML DSL schema, with file and line. */
@Command(name = "validate", mixinStandardHelpOptions = true,
         description = { "Check the YAML rules of a directory against Camel's YAML DSL schema.",
                         "Prints file:line: message per problem. Exit code 0 if all are valid, 1 if not, "
                         + "2 for a usage error." })
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RULES_DIR", description = "Directory of *.yaml / *.yml rules")
    Path rulesDir;

    @Override
    public Integer call() {
        List<Path> files;
        try {
            files = RuleValidator.ruleFiles(rulesDir);
        } catch (IllegalArgumentException e) {
            System.err.println("backplane validate: " + e.getMessage());
            return 2;
        }
        List<Problem> problems = new RuleValidator().validateDirectory(rulesDir);
        problems.forEach(System.out::println);
        if (problems.isEmpty()) {
            System.out.println(files.size() + (files.size() == 1 ? " rule file" : " rule files") + " valid");
            return 0;
        }
        System.out.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in "
                           + files.size() + (files.size() == 1 ? " rule file" : " rule files"));
        return 1;
    }
}
