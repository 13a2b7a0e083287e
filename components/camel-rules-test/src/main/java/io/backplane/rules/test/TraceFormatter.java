package io.backplane.rules.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;

/**
 * Writes what the rules did, event by event: for each event on the bus, every bus rule with whether its
 * {@code from: bus:<glob>} matched the tag, and for those that ran, their steps with the predicates' answers.
 */
final class TraceFormatter {

    private TraceFormatter() {
    }

    static String format(RuleHarness harness) {
        Tracer tracer = harness.tracer();
        // lines by the event and the route that received it
        Map<String, Map<String, List<Tracer.Line>>> byEvent = new LinkedHashMap<>();
        for (Tracer.Line line : tracer.lines()) {
            byEvent.computeIfAbsent(tracer.eventOf(line), k -> new LinkedHashMap<>())
                    .computeIfAbsent(tracer.receiverOf(line), k -> new ArrayList<>()).add(line);
        }
        StringBuilder sb = new StringBuilder();
        for (RuleHarness.BusEvent seen : harness.events()) {
            Event event = seen.event();
            sb.append("event ").append(event.type());
            if (event.subject() != null) {
                sb.append("  subject ").append(event.subject());
            }
            sb.append("  data ").append(Matching.show(event.data()));
            sb.append(seen.injected() ? "  (from the test)" : seen.publishedBy() != null ? "  (published by "
                                                                                          + seen.publishedBy() + ")" : "");
            sb.append('\n');
            Map<String, List<Tracer.Line>> routes = byEvent.getOrDefault(event.id(), Map.of());
            for (RuleHarness.Rule rule : harness.rules()) {
                if (rule.glob() == null) {
                    continue;
                }
                boolean matched = rule.glob().matches(event.type());
                sb.append("  ").append(rule.id()).append("  from ").append(rule.from());
                if (!rule.location().isEmpty()) {
                    sb.append("  (").append(rule.location()).append(')');
                }
                sb.append(matched ? "  matched\n" : "  not matched\n");
                if (matched) {
                    appendLines(sb, rule.id(), routes.get(rule.id()));
                }
            }
        }
        // routes not started by a bus event (timer:, direct: called from outside, ...) that did something
        Map<String, List<Tracer.Line>> others = byEvent.getOrDefault("", Map.of());
        for (Map.Entry<String, List<Tracer.Line>> e : others.entrySet()) {
            sb.append("route ").append(e.getKey()).append(" (not a bus rule)\n");
            appendLines(sb, e.getKey(), e.getValue());
        }
        if (sb.length() == 0) {
            sb.append("no event reached the bus\n");
        }
        return sb.toString();
    }

    private static void appendLines(StringBuilder sb, String routeId, List<Tracer.Line> lines) {
        if (lines == null || lines.isEmpty()) {
            sb.append("    (no step ran)\n");
            return;
        }
        for (Tracer.Line line : lines) {
            sb.append("    ").append("  ".repeat(Math.max(0, line.depth())));
            if (!line.routeId().equals(routeId)) {
                sb.append('[').append(line.routeId()).append("] ");
            }
            sb.append(line.text()).append('\n');
        }
    }
}
