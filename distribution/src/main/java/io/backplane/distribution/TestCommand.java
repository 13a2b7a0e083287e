package io.backplane.distribution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.backplane.rules.test.RuleTester;
import io.backplane.rules.test.TestReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backplane test RULES_DIR CASES}: runs rule test cases with the actors stubbed. */
@Command(name = "test", mixinStandardHelpOptions = true,
         description = { "Test YAML rules without their actors: put each case's events on an in-process bus, "
                         + "with http:, https:, ssh:, ssh-action:, http-action:, ansible: and exec: endpoints "
                         + "replaced by mocks, and check what the case expects. Validates the rules first.",
                         "Exit code 0 if every case passed, 1 if one failed, 2 if the rules or cases are invalid." })
final class TestCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RULES_DIR", description = "Directory of *.yaml / *.yml rules")
    Path rulesDir;

    @Parameters(index = "1", paramLabel = "CASES", description = "A case file, or a directory of *.yaml case files")
    Path cases;

    @Option(names = "--properties", paramLabel = "FILE",
            description = "A properties file for the rules (repeatable; the first that has a key wins). "
                          + "./application.properties and the installation's conf/ are read too.")
    List<Path> propertiesFiles = new ArrayList<>();

    @Option(names = { "-D", "--set" }, paramLabel = "KEY=VALUE", description = "A property for the rules (repeatable)")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--stub", paramLabel = "URI_GLOB",
            description = "Also stub endpoints matching this glob, e.g. 'kafka:*' (repeatable)")
    List<String> stubs = new ArrayList<>();

    @Option(names = "--quiet-period", paramLabel = "MS", defaultValue = "100",
            description = "Milliseconds without activity after which the rules are done with an event (default ${DEFAULT-VALUE})")
    long quietMillis;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "10",
            description = "Seconds to wait for the rules to be done with an event (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = { "-v", "--verbose" }, description = "Print what the rules did for passing cases too")
    boolean verbose;

    @Override
    public Integer call() {
        if (!verbose) {
            quietStartLogs();
        }
        RuleTester tester;
        try {
            tester = configure(RuleTester.forRules(rulesDir), propertiesFiles, set, stubs)
                    .quietPeriod(Duration.ofMillis(quietMillis)).timeout(Duration.ofSeconds(timeoutSeconds))
                    .verbose(verbose);
            TestReport report = tester.run(cases);
            System.out.print(report.text());
            return report.problems().isEmpty() ? (report.passed() ? 0 : 1) : 2;
        } catch (IllegalArgumentException e) {
            System.err.println("backplane test: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Each case starts a CamelContext and a bus, which log at INFO in the distribution ("is starting", "bus
     * started"): a line per case that says nothing about the rules. The rules' own log steps still show.
     */
    static void quietStartLogs() {
        try {
            java.lang.reflect.Method setLevel = Class.forName("org.apache.logging.log4j.core.config.Configurator")
                    .getMethod("setLevel", String.class, org.apache.logging.log4j.Level.class);
            for (String logger : List.of("org.apache.camel.impl.engine.AbstractCamelContext",
                    "io.backplane.component.bus")) {
                setLevel.invoke(null, logger, org.apache.logging.log4j.Level.WARN);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // another logging backend: its own configuration decides
        }
    }

    /** The settings the rules see, as {@code backplane run} reads them, plus the command line's. */
    static RuleTester configure(RuleTester tester, List<Path> files, Map<String, String> set, List<String> stubs) {
        tester.properties(set);
        for (Path file : files) {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such properties file: " + file);
            }
            tester.propertiesFile(file);
        }
        tester.propertyLocation("file:application.properties;optional=true");
        String home = System.getProperty("backplane.home");
        if (home != null) {
            tester.propertyLocation("file:" + home + "/conf/application.properties;optional=true");
        }
        tester.propertyLocation("classpath:application.properties;optional=true");
        stubs.forEach(tester::stub);
        return tester;
    }
}
