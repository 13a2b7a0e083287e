package io.backplane.gate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.backplane.component.state.Fact;
import io.backplane.component.state.FactStore;
import io.backplane.core.EventCodec;
import io.backplane.core.EventPath;

/**
 * One requirement of a gate, over facts. {@link #check} returns why it does not hold (empty when it holds), in words
 * a person reading a CI log understands.
 */
public sealed interface Condition {

    /** Reasons this condition does not hold now; empty when it holds. */
    List<String> check(FactStore store);

    /** True when a change of the fact at {@code key} can change the outcome. */
    boolean affectedBy(String key);

    /** At most this many keys are named in one reason. */
    int NAMED = 5;

    /**
     * {@code absent: KEY} / {@code present: KEY}; a key ending with '/' is a prefix ("no fact under it" / "at least
     * one fact under it").
     */
    record Facts(String keyOrPrefix, boolean wantPresent) implements Condition {

        boolean isPrefix() {
            return keyOrPrefix.endsWith("/");
        }

        @Override
        public List<String> check(FactStore store) {
            if (isPrefix()) {
                List<Fact> under = store.list(keyOrPrefix);
                if (wantPresent && under.isEmpty()) {
                    return List.of("no fact under " + keyOrPrefix);
                }
                if (!wantPresent && !under.isEmpty()) {
                    return List.of(keyOrPrefix + " has " + under.size() + (under.size() == 1 ? " fact: " : " facts: ")
                                   + names(under));
                }
                return List.of();
            }
            Fact fact = store.get(keyOrPrefix);
            if (wantPresent && fact == null) {
                return List.of(keyOrPrefix + " is not set");
            }
            if (!wantPresent && fact != null) {
                return List.of(keyOrPrefix + " is set: " + show(fact.value())
                               + (fact.expires() != 0 ? " (until " + fact.expiresText() + ")" : ""));
            }
            return List.of();
        }

        private static String names(List<Fact> facts) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < facts.size() && i < NAMED; i++) {
                b.append(i == 0 ? "" : ", ").append(facts.get(i).key());
            }
            if (facts.size() > NAMED) {
                b.append(" and ").append(facts.size() - NAMED).append(" more");
            }
            return b.toString();
        }

        @Override
        public boolean affectedBy(String key) {
            return isPrefix() ? key.startsWith(keyOrPrefix) : key.equals(keyOrPrefix);
        }
    }

    /** How {@link Compare} compares the fact with its value. */
    enum Op {
        EQUALS("equals", "not"),
        BELOW("below", "not below"),
        ABOVE("above", "not above");

        final String word;
        final String failure;

        Op(String word, String failure) {
            this.word = word;
            this.failure = failure;
        }
    }

    /**
     * {@code equals | below | above: {fact: KEY, value: V, path: FIELD, missing: pass|fail}}: the fact's value (or
     * the field {@code path} of a map value) compared with {@code value}; numbers and numeric strings compare as
     * numbers. A missing fact fails the condition unless {@code missing: pass}.
     */
    record Compare(Op op, String fact, EventPath path, Object value, boolean missingPasses) implements Condition {

        @Override
        public List<String> check(FactStore store) {
            Fact f = store.get(fact);
            String name = path == null ? fact : fact + " " + path;
            Object actual = f == null ? null : path == null ? f.value() : readPath(f.value());
            if (actual == null) {
                if (missingPasses) {
                    return List.of();
                }
                return List.of(f == null ? fact + " is not set (a missing fact fails '" + op.word + "'; "
                                           + "'missing: pass' changes that)"
                        : fact + " has no field " + path + " (value: " + show(f.value()) + ")");
            }
            if (op == Op.EQUALS) {
                return jsonEquals(actual, value) ? List.of()
                        : List.of(name + " is " + show(actual) + ", " + op.failure + " " + show(value));
            }
            BigDecimal number = number(actual);
            if (number == null) {
                return List.of(name + " is " + show(actual) + ", not a number (for '" + op.word + " " + show(value)
                               + "')");
            }
            int cmp = number.compareTo(number(value));
            boolean holds = op == Op.BELOW ? cmp < 0 : cmp > 0;
            return holds ? List.of() : List.of(name + " is " + show(actual) + ", " + op.failure + " " + show(value));
        }

        private Object readPath(Object factValue) {
            if (!(factValue instanceof Map<?, ?> map)) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> m = (Map<String, ?>) map;
            return path.read(m);
        }

        @Override
        public boolean affectedBy(String key) {
            return key.equals(fact);
        }
    }

    /** {@code any: [conditions]}: holds when at least one of them holds (gates can say OR, not only AND). */
    record Any(List<Condition> anyOf) implements Condition {

        @Override
        public List<String> check(FactStore store) {
            List<String> all = new ArrayList<>();
            for (Condition c : anyOf) {
                List<String> r = c.check(store);
                if (r.isEmpty()) {
                    return List.of();
                }
                all.addAll(r);
            }
            return List.of("none of these holds: " + String.join("; ", all));
        }

        @Override
        public boolean affectedBy(String key) {
            for (Condition c : anyOf) {
                if (c.affectedBy(key)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A condition with the gate author's own words for when it fails, followed by the details. */
    record Explained(Condition condition, String reason) implements Condition {

        @Override
        public List<String> check(FactStore store) {
            List<String> r = condition.check(store);
            return r.isEmpty() ? r : List.of(reason + " (" + String.join("; ", r) + ")");
        }

        @Override
        public boolean affectedBy(String key) {
            return condition.affectedBy(key);
        }
    }

    /** Numbers and numeric strings as BigDecimal; anything else null. */
    static BigDecimal number(Object v) {
        if (v instanceof Number n) {
            try {
                return new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** JSON equality: numbers by value (1 equals 1.0), everything else as JSON would compare it. */
    static boolean jsonEquals(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return number(a).compareTo(number(b)) == 0;
        }
        return Objects.equals(a, b);
    }

    /** A value as short JSON for a reason. */
    static String show(Object value) {
        String json = new String(EventCodec.toJsonBytes(value), java.nio.charset.StandardCharsets.UTF_8);
        return json.length() > 120 ? json.substring(0, 117) + "..." : json;
    }
}
