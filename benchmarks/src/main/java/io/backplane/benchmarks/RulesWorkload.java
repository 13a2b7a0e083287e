package io.backplane.benchmarks;

import java.nio.charset.StandardCharsets;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;

/**
 * The rules workload of issue 4 (Performance): 265-byte events about 100 alert names ({@code alert-0} ...
 * {@code alert-99}, tag {@code monitor/alert/<name>/firing}), 20 % of them with {@code data.alert.severity > 2}; and
 * N rules, rule i being {@code data.alert.name == 'alert-i' and data.alert.severity > 2}, written as the YAML a user
 * would write. Rules 0..99 can fire; with 1,000 rules the other 900 name alerts that never come (as in a real
 * rulebook, most rules are quiet at any moment).
 */
final class RulesWorkload {

    static final int NAMES = 100;
    static final int SIZE = 265;
    /** Distinct prebuilt events, cycled (a power of two). */
    static final int DISTINCT = 1024;

    final Event[] events = new Event[DISTINCT];
    /** Whether event i has severity > 2. */
    final boolean[] severe = new boolean[DISTINCT];
    final int[] nameIndex = new int[DISTINCT];

    RulesWorkload() {
        for (int i = 0; i < DISTINCT; i++) {
            int name = (i * 37) % NAMES;   // every name, in a scrambled order
            int severity = i % 5 == 0 ? 3 + (i / 5) % 3 : 1 + (i / 5) % 2; // 20 % are 3..5, the rest 1..2
            byte[] json = json(i, name, severity);
            events[i] = EventCodec.defaults().parse(json);
            severe[i] = severity > 2;
            nameIndex[i] = name;
        }
    }

    private static byte[] json(int seq, int name, int severity) {
        String head = String.format("{\"specversion\":\"1.0\",\"id\":\"r-%012d\",\"source\":\"/bench/rules\","
                                    + "\"type\":\"monitor/alert/alert-%d/firing\",\"subject\":\"host-%02d\","
                                    + "\"time\":\"2025-01-01T00:00:00Z\",\"datacontenttype\":\"application/json\","
                                    + "\"data\":{\"alert\":{\"name\":\"alert-%d\",\"severity\":%d,\"summary\":\"",
                seq, name, seq % 50, name, severity);
        String tail = "\"}}}";
        int pad = SIZE - head.length() - tail.length();
        String json = head + "x".repeat(pad) + tail;
        byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length != SIZE) {
            throw new IllegalStateException("event of " + bytes.length + " bytes, not " + SIZE);
        }
        return bytes;
    }

    /** Whether event i fires one of the first {@code rules} rules. */
    boolean fires(int i, int rules) {
        return severe[i] && nameIndex[i] < rules;
    }

    /** The condition of rule i in the given language, as YAML text (a flow scalar in double quotes). */
    static String condition(String language, int rule) {
        return switch (language) {
            case "ev" -> "ev: \"data.alert.name == 'alert-" + rule + "' && data.alert.severity > 2\"";
            case "simple" -> "simple: \"${body[data][alert][name]} == 'alert-" + rule
                             + "' && ${body[data][alert][severity]} > 2\"";
            case "jsonpath" -> "jsonpath: \"$.data.alert[?(@.name == 'alert-" + rule + "' && @.severity > 2)]\"";
            default -> throw new IllegalArgumentException(language);
        };
    }

    /** One route with one choice of {@code rules} whens, each calling the {@code fired} bean's processor. */
    static String choiceRoute(String language, int rules) {
        StringBuilder y = new StringBuilder("""
                - route:
                    id: rules
                    from:
                      uri: direct:rules
                      steps:
                        - choice:
                            id: rules-choice
                            when:
                """);
        for (int i = 0; i < rules; i++) {
            y.append("                  - ").append(condition(language, i)).append('\n')
             .append("                    steps:\n")
             .append("                      - process:\n")
             .append("                          ref: fired\n");
        }
        return y.toString();
    }

    /** One route per rule: the bus dispatches by tag, the filter tests the severity. */
    static String perRuleRoutes(int rules) {
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < rules; i++) {
            y.append("- route:\n")
             .append("    id: rule-").append(i).append('\n')
             .append("    from:\n")
             .append("      uri: bus:monitor/alert/alert-").append(i).append("/firing\n")
             .append("      steps:\n")
             .append("        - filter:\n")
             .append("            ev: data.alert.severity > 2\n")
             .append("            steps:\n")
             .append("              - process:\n")
             .append("                  ref: fired\n");
        }
        return y.toString();
    }
}
