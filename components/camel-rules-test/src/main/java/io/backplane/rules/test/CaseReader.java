package io.backplane.rules.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.backplane.core.InvalidEventException;
import io.backplane.core.TagGlob;
import io.backplane.core.Tags;
import io.backplane.rules.test.RuleCase.EventStep;
import io.backplane.rules.test.RuleCase.Expectation;
import io.backplane.rules.test.RuleCase.Step;
import io.backplane.rules.test.RuleCase.WaitStep;

/**
 * Reads case files: YAML, a list of cases (or one case as a map). Every mistake is reported with file and line,
 * like the rule validator does, and a misspelled key is an error rather than silently ignored.
 */
final class CaseReader {

    private static final Set<String> CASE_KEYS = Set.of("name", "properties", "events", "expect");
    private static final Set<String> EVENT_KEYS = Set.of("type", "subject", "source", "id", "time", "data",
            "causationid", "wait");
    private static final Set<String> EXPECT_KEYS = Set.of("endpoint", "bus", "none", "count", "body", "headers",
            "subject", "data");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");

    private CaseReader() {
    }

    /** The case files of a path: the file itself, or the {@code *.yaml}/{@code *.yml} of a directory, sorted. */
    static List<Path> caseFiles(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("no such file or directory: " + path);
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }

    static List<RuleCase> read(Path file) throws YamlTree.ProblemException {
        List<RuleCase> cases = new ArrayList<>();
        for (YamlTree doc : YamlTree.read(file)) {
            Object root = doc.value();
            if (root == null) {
                continue;
            }
            if (root instanceof Map) {
                cases.add(readCase(doc, root, ""));
            } else if (root instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    cases.add(readCase(doc, list.get(i), "/" + i));
                }
            } else {
                throw problem(doc, "", "a case file holds a list of cases (- name: ...), not " + kind(root));
            }
        }
        if (cases.isEmpty()) {
            throw new YamlTree.ProblemException(new Problem(file, 0, "no cases in this file"));
        }
        return cases;
    }

    private static RuleCase readCase(YamlTree doc, Object node, String at) throws YamlTree.ProblemException {
        Map<String, Object> map = map(doc, node, at, "a case");
        checkKeys(doc, map, at, CASE_KEYS, "case");
        Object name = map.get("name");
        if (!(name instanceof String) || ((String) name).isBlank()) {
            throw problem(doc, at, "a case needs a name: (a sentence saying what it checks)");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        if (map.get("properties") != null) {
            for (Map.Entry<String, Object> e : map(doc, map.get("properties"), at + "/properties", "properties").entrySet()) {
                if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                    throw problem(doc, at + "/properties/" + YamlTree.escape(e.getKey()),
                            "property " + e.getKey() + " must be a single value");
                }
                properties.put(e.getKey(), e.getValue() == null ? "" : String.valueOf(e.getValue()));
            }
        }
        List<Object> events = list(doc, map.get("events"), at + "/events", "events");
        if (events.isEmpty()) {
            throw problem(doc, at, "case '" + name + "' has no events: to put on the bus");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            steps.add(readStep(doc, events.get(i), at + "/events/" + i));
        }
        List<Object> expect = list(doc, map.get("expect"), at + "/expect", "expect");
        if (expect.isEmpty()) {
            throw problem(doc, at, "case '" + name + "' expects nothing: add expect: (use none: or count: 0 for "
                                   + "\"nothing happens\")");
        }
        List<Expectation> expectations = new ArrayList<>();
        for (int i = 0; i < expect.size(); i++) {
            expectations.add(readExpectation(doc, expect.get(i), at + "/expect/" + i));
        }
        return new RuleCase((String) name, doc.file(), doc.line(at), properties, steps, expectations);
    }

    private static Step readStep(YamlTree doc, Object node, String at) throws YamlTree.ProblemException {
        Map<String, Object> map = map(doc, node, at, "an event");
        checkKeys(doc, map, at, EVENT_KEYS, "event");
        int line = doc.line(at);
        if (map.containsKey("wait")) {
            if (map.size() > 1) {
                throw problem(doc, at, "wait: stands alone (- wait: 2s), not inside an event");
            }
            return new WaitStep(duration(doc, map.get("wait"), at + "/wait"), line);
        }
        Object type = map.get("type");
        if (!(type instanceof String)) {
            throw problem(doc, at, "an event needs a type: (its tag, e.g. app/shop/client-load)");
        }
        try {
            Tags.requireTag((String) type);
        } catch (InvalidEventException e) {
            throw problem(doc, at + "/type", e.getMessage());
        }
        Object data = map.get("data");
        if (data != null && !(data instanceof Map)) {
            throw problem(doc, at + "/data", "data must be a map (the event's JSON object), not " + kind(data));
        }
        Map<String, Object> attributes = new LinkedHashMap<>(map);
        attributes.putIfAbsent("source", "rules-test");
        attributes.putIfAbsent("data", Map.of());
        for (String key : List.of("subject", "source", "id", "time", "causationid")) {
            Object v = attributes.get(key);
            if (v != null && !(v instanceof String)) {
                attributes.put(key, String.valueOf(v));
            }
        }
        return new EventStep(attributes, line);
    }

    private static Expectation readExpectation(YamlTree doc, Object node, String at) throws YamlTree.ProblemException {
        Map<String, Object> map = map(doc, node, at, "an expectation");
        checkKeys(doc, map, at, EXPECT_KEYS, "expectation");
        int kinds = (map.containsKey("endpoint") ? 1 : 0) + (map.containsKey("bus") ? 1 : 0) + (map.containsKey("none") ? 1 : 0);
        if (kinds != 1) {
            throw problem(doc, at, "an expectation names exactly one of endpoint: (a URI glob), bus: (a tag glob) "
                                   + "or none: (a URI glob that must receive nothing)");
        }
        Integer count = null;
        if (map.containsKey("count")) {
            Object c = map.get("count");
            if (!(c instanceof Long) || (Long) c < 0) {
                throw problem(doc, at + "/count", "count must be a whole number 0 or more, not " + Matching.show(c));
            }
            count = ((Long) c).intValue();
        }
        Map<String, Object> headers = null;
        if (map.get("headers") != null) {
            headers = map(doc, map.get("headers"), at + "/headers", "headers");
        }
        int line = doc.line(at);
        if (map.containsKey("bus")) {
            String glob = string(doc, map.get("bus"), at + "/bus", "bus");
            try {
                TagGlob.of(glob);
            } catch (InvalidEventException e) {
                throw problem(doc, at + "/bus", e.getMessage());
            }
            if (map.containsKey("body") || headers != null) {
                throw problem(doc, at, "a bus: expectation checks subject: and data:, not body: or headers:");
            }
            Object subject = map.get("subject");
            return new Expectation(Expectation.Kind.BUS, glob, count, null, null,
                    subject == null ? null : String.valueOf(subject), map.get("data"), line);
        }
        if (map.containsKey("subject") || map.containsKey("data")) {
            throw problem(doc, at, "an endpoint expectation checks body: and headers:, not subject: or data:");
        }
        if (map.containsKey("none")) {
            if (count != null && count != 0) {
                throw problem(doc, at + "/count", "none: means count 0; use endpoint: with count: " + count);
            }
            return new Expectation(Expectation.Kind.ENDPOINT, string(doc, map.get("none"), at + "/none", "none"), 0,
                    map.get("body"), headers, null, null, line);
        }
        return new Expectation(Expectation.Kind.ENDPOINT, string(doc, map.get("endpoint"), at + "/endpoint", "endpoint"),
                count, map.get("body"), headers, null, null, line);
    }

    static Duration duration(YamlTree doc, Object value, String at) throws YamlTree.ProblemException {
        if (value instanceof Long l && l >= 0) {
            return Duration.ofMillis(l);
        }
        Matcher m = DURATION.matcher(String.valueOf(value).trim());
        if (value instanceof String && m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            return switch (unit) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofMillis(n);
            };
        }
        throw problem(doc, at, "a duration is milliseconds or a number with ms, s or m (500ms, 2s), not "
                               + Matching.show(value));
    }

    private static void checkKeys(YamlTree doc, Map<String, Object> map, String at, Set<String> allowed, String what)
            throws YamlTree.ProblemException {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                String near = RuleValidator.closest(key, List.copyOf(allowed));
                throw problem(doc, at + "/" + YamlTree.escape(key), "unknown key '" + key + "' in " + what
                        + (near != null ? " (did you mean '" + near + "'?)"
                                : " (expected " + String.join(", ", allowed.stream().sorted().toList()) + ")"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(YamlTree doc, Object node, String at, String what)
            throws YamlTree.ProblemException {
        if (!(node instanceof Map)) {
            throw problem(doc, at, what + " must be a map (key: value), not " + kind(node));
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(YamlTree doc, Object node, String at, String what) throws YamlTree.ProblemException {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List)) {
            throw problem(doc, at, what + ": must be a list (- ...), not " + kind(node));
        }
        return (List<Object>) node;
    }

    private static String string(YamlTree doc, Object node, String at, String what) throws YamlTree.ProblemException {
        if (!(node instanceof String) || ((String) node).isEmpty()) {
            throw problem(doc, at, what + ": must be a glob, not " + kind(node));
        }
        return (String) node;
    }

    private static String kind(Object o) {
        return o == null ? "nothing" : o instanceof Map ? "a map" : o instanceof List ? "a list" : "'" + o + "'";
    }

    private static YamlTree.ProblemException problem(YamlTree doc, String at, String message) {
        return new YamlTree.ProblemException(new Problem(doc.file(), doc.line(at), message));
    }
}
