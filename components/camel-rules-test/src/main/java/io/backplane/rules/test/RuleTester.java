package io.backplane.rules.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.backplane.core.EventCodec;
import io.backplane.core.InvalidEventException;
import io.backplane.core.TagGlob;
import io.backplane.rules.test.RuleCase.EventStep;
import io.backplane.rules.test.RuleCase.Expectation;
import io.backplane.rules.test.RuleCase.Step;
import io.backplane.rules.test.RuleCase.WaitStep;

/**
 * Tests YAML rules without their actors. Each case runs in a fresh CamelContext with the rules of one directory,
 * the real bus in process, and the actor endpoints (http:, https:, ssh:, ssh-action:, http-action:, ansible:,
 * exec: and any {@link #stub(String) added}) replaced by mocks; the case's events go on the bus one by one, each
 * followed by a wait until the rules are idle; then the expectations are checked. In a JUnit test:
 *
 * <pre>
 * &#64;Test
 * void rules() {
 *     RuleTester.forRules(Path.of("src/main/rules")).run(Path.of("src/test/rules")).assertAllPassed();
 * }
 * </pre>
 */
public final class RuleTester {

    private final Path rulesDir;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> propertyLocations = new ArrayList<>();
    private final Set<String> stubSchemes = new LinkedHashSet<>(Stubs.DEFAULT_SCHEMES);
    private final List<String> stubGlobs = new ArrayList<>();
    private Duration quietPeriod = Duration.ofMillis(100);
    private Duration timeout = Duration.ofSeconds(10);
    private boolean verbose;

    private RuleTester(Path rulesDir) {
        this.rulesDir = rulesDir;
    }

    /** The rules: every {@code *.yaml} and {@code *.yml} of this directory, as the distribution loads them. */
    public static RuleTester forRules(Path rulesDir) {
        return new RuleTester(rulesDir);
    }

    /** A setting the rules read as {@code {{key}}}; a case's own {@code properties:} win over it. */
    public RuleTester property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public RuleTester properties(Map<String, String> values) {
        properties.putAll(values);
        return this;
    }

    /** A properties file for the rules, e.g. the application.properties they run with. */
    public RuleTester propertiesFile(Path file) {
        return propertyLocation("file:" + file.toAbsolutePath());
    }

    /** A Camel properties location, e.g. {@code classpath:application.properties;optional=true}. */
    public RuleTester propertyLocation(String location) {
        propertyLocations.add(location);
        return this;
    }

    /** Also stub endpoints whose URI matches this glob ({@code *} any characters), e.g. {@code kafka:*}. */
    public RuleTester stub(String uriGlob) {
        stubGlobs.add(uriGlob);
        return this;
    }

    /** Also stub every endpoint of this scheme, e.g. {@code smtp}. */
    public RuleTester stubScheme(String scheme) {
        stubSchemes.add(scheme);
        return this;
    }

    /** How long nothing must happen before the rules count as done with an event (default 100 ms). */
    public RuleTester quietPeriod(Duration quiet) {
        this.quietPeriod = quiet;
        return this;
    }

    /** How long to wait for the rules to be done with an event before the case fails (default 10 s). */
    public RuleTester timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Include the trace of passing cases in the report too (failing cases always have one). */
    public RuleTester verbose(boolean verbose) {
        this.verbose = verbose;
        return this;
    }

    /** Validates the rule files against Camel's YAML DSL schema; empty when all are valid. */
    public List<Problem> validate() {
        return new RuleValidator().validateDirectory(rulesDir);
    }

    /** Runs the cases of a file, or of every {@code *.yaml}/{@code *.yml} in a directory. Validates first. */
    public TestReport run(Path cases) {
        List<Problem> problems = new ArrayList<>();
        List<Path> caseFiles = List.of();
        try {
            problems.addAll(validate());
            caseFiles = CaseReader.caseFiles(cases);
        } catch (IllegalArgumentException e) {
            // "not a directory: RULES_DIR" or "no such file or directory: CASES", said as file: message
            boolean rules = e.getMessage().startsWith("not a directory");
            problems.add(new Problem(rules ? rulesDir : cases, 0, rules ? "not a directory" : "no such file or directory"));
        }
        List<RuleCase> all = new ArrayList<>();
        for (Path file : caseFiles) {
            try {
                all.addAll(CaseReader.read(file));
            } catch (YamlTree.ProblemException e) {
                problems.add(e.problem());
            }
        }
        if (all.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(cases, 0, "no cases found"));
        }
        if (!problems.isEmpty()) {
            return new TestReport(problems, List.of(), verbose);
        }
        List<CaseResult> results = new ArrayList<>();
        for (RuleCase c : all) {
            results.add(run(c));
        }
        return new TestReport(List.of(), results, verbose);
    }

    /** Runs one case in its own CamelContext. */
    public CaseResult run(RuleCase c) {
        Map<String, String> settings = new LinkedHashMap<>(properties);
        settings.putAll(c.properties());
        try (RuleHarness harness = harness(settings)) {
            try {
                harness.start();
            } catch (Exception e) {
                return new CaseResult(c, List.of(), "the rules did not start: " + message(e), null);
            }
            for (Step step : c.steps()) {
                if (step instanceof EventStep event) {
                    try {
                        harness.inject(event.attributes());
                    } catch (InvalidEventException e) {
                        return new CaseResult(c, List.of(), c.file() + ":" + event.line() + ": invalid event: "
                                                            + e.getMessage(), null);
                    }
                } else if (step instanceof WaitStep w) {
                    Thread.sleep(w.duration().toMillis());
                }
                if (!harness.awaitIdle()) {
                    return new CaseResult(c, List.of(), c.file() + ":" + step.line() + ": the rules were still busy "
                                                        + timeout.toSeconds() + " s after this step ("
                                                        + harness.busyReason() + ")", TraceFormatter.format(harness));
                }
            }
            List<String> failures = new ArrayList<>();
            for (Expectation e : c.expectations()) {
                String failure = check(c, e, harness);
                if (failure != null) {
                    failures.add(failure);
                }
            }
            return new CaseResult(c, failures, null, TraceFormatter.format(harness));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CaseResult(c, List.of(), "interrupted", null);
        }
    }

    /**
     * Puts one event on the bus and returns what the rules did with it: which rules' globs matched, every step,
     * every filter/when predicate with its answer, every endpoint reached (see docs/rule-testing.md).
     */
    public String trace(Map<String, Object> event) {
        List<Problem> problems = validate();
        if (!problems.isEmpty()) {
            throw new InvalidRulesException(problems);
        }
        Map<String, Object> attributes = new LinkedHashMap<>(event);
        attributes.putIfAbsent("source", "rules-trace");
        attributes.putIfAbsent("data", Map.of());
        EventCodec.defaults().fromMap(attributes); // a bad event is reported before the rules are started
        try (RuleHarness harness = harness(properties)) {
            harness.start();
            harness.inject(attributes);
            boolean idle = harness.awaitIdle();
            String text = TraceFormatter.format(harness);
            String stubbed = harness.sends().stream().filter(RuleHarness.Sent::stubbed)
                    .map(s -> "  " + UriGlob.written(s.uri()) + "  body " + Matching.show(s.body())).reduce("", (a, b) -> a + b + "\n");
            return text + (stubbed.isEmpty() ? "stubbed endpoints reached: none\n"
                    : "stubbed endpoints reached (not called for real):\n" + stubbed)
                   + (idle ? "" : "the rules were still busy after " + timeout.toSeconds() + " s ("
                                  + harness.busyReason() + ")\n");
        } catch (InvalidEventException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("the rules did not start: " + message(e), e);
        }
    }

    /** Traces the event in a JSON file: a full CloudEvent or just {type, subject, data}. */
    public String trace(Path eventJson) {
        String text;
        try {
            text = Files.readString(eventJson);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + eventJson + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + eventJson + ": " + e.getMessage(), e);
        }
        return trace(EventCodec.readObject(text, eventJson.toString()));
    }

    private RuleHarness harness(Map<String, String> settings) {
        return new RuleHarness(RuleValidator.ruleFiles(rulesDir), settings, propertyLocations,
                new Stubs(stubSchemes, stubGlobs), quietPeriod, timeout);
    }

    private static String check(RuleCase c, Expectation e, RuleHarness harness) {
        String where = c.file() + ":" + e.line() + ": expected " + e.describe();
        if (e.kind() == Expectation.Kind.ENDPOINT) {
            Pattern glob = UriGlob.compile(e.glob());
            List<RuleHarness.Sent> byUri = harness.sends().stream().filter(s -> UriGlob.matches(glob, s.uri())).toList();
            List<RuleHarness.Sent> matching = byUri.stream()
                    .filter(s -> e.body() == null || Matching.contains(s.body(), e.body()))
                    .filter(s -> e.headers() == null || Matching.contains(s.headers(), e.headers())).toList();
            if (countOk(e.count(), matching.size())) {
                return null;
            }
            StringBuilder sb = new StringBuilder(where).append("; seen ").append(matching.size());
            List<RuleHarness.Sent> shown = byUri.isEmpty() ? harness.sends() : byUri;
            if (shown.isEmpty()) {
                sb.append(", and no endpoint was sent anything");
            } else {
                sb.append(byUri.isEmpty() ? ", sent instead:" : ", sent to matching endpoints:");
                for (RuleHarness.Sent s : shown.stream().limit(10).toList()) {
                    sb.append("\n  ").append(UriGlob.written(s.uri())).append(s.stubbed() ? " [stubbed]" : "").append("  body ")
                            .append(Matching.show(s.body())).append("  (by ").append(s.routeId()).append(')');
                }
            }
            return sb.toString();
        }
        TagGlob glob = TagGlob.of(e.glob());
        List<RuleHarness.BusEvent> published = harness.events().stream().filter(b -> !b.injected()).toList();
        List<RuleHarness.BusEvent> byTag = published.stream().filter(b -> glob.matches(b.event().type())).toList();
        List<RuleHarness.BusEvent> matching = byTag.stream()
                .filter(b -> e.subject() == null || e.subject().equals(b.event().subject()))
                .filter(b -> e.data() == null || Matching.contains(b.event().data(), e.data())).toList();
        if (countOk(e.count(), matching.size())) {
            return null;
        }
        StringBuilder sb = new StringBuilder(where).append("; seen ").append(matching.size());
        List<RuleHarness.BusEvent> shown = byTag.isEmpty() ? published : byTag;
        if (shown.isEmpty()) {
            sb.append(", and the rules published no event");
        } else {
            sb.append(byTag.isEmpty() ? ", published instead:" : ", published with this tag:");
            for (RuleHarness.BusEvent b : shown.stream().limit(10).toList()) {
                sb.append("\n  ").append(b.event().type()).append("  subject ").append(b.event().subject())
                        .append("  data ").append(Matching.show(b.event().data()))
                        .append(b.publishedBy() != null ? "  (by " + b.publishedBy() + ")" : "");
            }
        }
        return sb.toString();
    }

    private static boolean countOk(Integer expected, int seen) {
        return expected == null ? seen > 0 : seen == expected;
    }

    /** The message of an exception and of its root cause, which is where Camel says what was wrong. */
    static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !m.contains(root.getMessage())) {
            m = m + ": " + root.getMessage();
        }
        return m.length() > 1000 ? m.substring(0, 1000) + "..." : m;
    }
}
