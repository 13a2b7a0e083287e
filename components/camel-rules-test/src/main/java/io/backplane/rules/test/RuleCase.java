package io.backplane.rules.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One test case: settings for the rules, events put on the bus in order, and what must (not) have happened. */
public record RuleCase(String name, Path file, int line, Map<String, String> properties, List<Step> steps,
                       List<Expectation> expectations) {

    /** Where the case is written, {@code file:line}. */
    public String where() {
        return file + ":" + line;
    }

    /** Something done to the rules: an event put on the bus, or time let pass. */
    public sealed interface Step permits EventStep, WaitStep {
        int line();
    }

    /** An event put on the bus; missing id, source, time and specversion are filled in. */
    public record EventStep(Map<String, Object> attributes, int line) implements Step {
    }

    /** Lets time pass (for rules that act on absence or after a window), then waits for the rules to settle. */
    public record WaitStep(Duration duration, int line) implements Step {
    }

    /**
     * What must have happened: messages sent to endpoints matching a URI glob, or events published on the bus under
     * a tag glob; {@code count} null means at least one. Body, headers, subject and data are subset matches.
     */
    public record Expectation(Kind kind, String glob, Integer count, Object body, Map<String, Object> headers,
                              String subject, Object data, int line) {

        public enum Kind { ENDPOINT, BUS }

        /** As the user would write it, for reports. */
        public String describe() {
            StringBuilder sb = new StringBuilder(kind == Kind.ENDPOINT ? "endpoint " : "bus ").append(glob);
            sb.append(count == null ? " at least once" : count == 0 ? " never" : " exactly " + count + (count == 1 ? " time" : " times"));
            if (body != null) {
                sb.append(", body ").append(Matching.show(body));
            }
            if (headers != null) {
                sb.append(", headers ").append(Matching.show(headers));
            }
            if (subject != null) {
                sb.append(", subject ").append(subject);
            }
            if (data != null) {
                sb.append(", data ").append(Matching.show(data));
            }
            return sb.toString();
        }
    }
}
