package io.backplane.distribution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.backplane.rules.test.InvalidRulesException;
import io.backplane.rules.test.RuleTester;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backplane trace RULES_DIR EVENT_JSON_FILE}: what the rules do with one event, and why. */
@Command(name = "trace", mixinStandardHelpOptions = true,
         description = { "Put one event on an in-process bus (actors stubbed as in 'test') and show, for it and for "
                         + "every event the rules publish in turn, which rules' from: bus:<glob> matched, each "
                         + "filter/when with its expression and true/false, and the endpoints reached.",
                         "Exit code 0 when traced, 2 if the rules or the event are invalid or the rules do not start." })
final class TraceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RULES_DIR", description = "Directory of *.yaml / *.yml rules")
    Path rulesDir;

    @Parameters(index = "1", paramLabel = "EVENT_JSON_FILE",
                description = "The event: a CloudEvent in JSON, or just {\"type\": ..., \"subject\": ..., \"data\": {...}}")
    Path event;

    @Option(names = "--properties", paramLabel = "FILE", description = "A properties file for the rules (repeatable)")
    List<Path> propertiesFiles = new ArrayList<>();

    @Option(names = { "-D", "--set" }, paramLabel = "KEY=VALUE", description = "A property for the rules (repeatable)")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--stub", paramLabel = "URI_GLOB", description = "Also stub endpoints matching this glob (repeatable)")
    List<String> stubs = new ArrayList<>();

    @Override
    public Integer call() {
        TestCommand.quietStartLogs();
        try {
            RuleTester tester = TestCommand.configure(RuleTester.forRules(rulesDir), propertiesFiles, set, stubs);
            System.out.print(tester.trace(event));
            return 0;
        } catch (InvalidRulesException e) {
            System.out.println(e.getMessage());
            System.err.println("backplane trace: the rules are invalid (see above)");
            return 2;
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("backplane trace: " + e.getMessage());
            return 2;
        }
    }
}
