package io.backplane.language.ev;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.apache.camel.Predicate;

/**
 * Which {@code when}s of a choice can match an event, from one field of it. A {@code when} whose {@code ev}
 * condition is {@code field == literal} or {@code field in [...]}, alone or as one of the terms joined by
 * {@code &&}, can only match events whose field equals (one of) the literal(s): the index maps each such canonical
 * value to those {@code when}s, merged with every {@code when} it cannot rule out (other languages, other fields,
 * {@code ||}, {@code !=}), in their original order.
 */
final class ChoiceIndex {

    /** Fewer indexable whens than this on one field: a plain scan is as fast, keep Camel's own choice. */
    static final int MIN_INDEXED = 2;

    /** One necessary condition of a when: its field must have one of these canonical values. */
    record Term(String field, Node operand, List<Object> keys) {
    }

    final String fieldText;
    final Node field;
    final Map<Object, int[]> candidates;
    final int[] unindexed;
    final int indexedCount;

    private ChoiceIndex(String fieldText, Node field, Map<Object, int[]> candidates, int[] unindexed,
                        int indexedCount) {
        this.fieldText = fieldText;
        this.field = field;
        this.candidates = candidates;
        this.unindexed = unindexed;
        this.indexedCount = indexedCount;
    }

    /** The index over the given when predicates, or null when fewer than {@link #MIN_INDEXED} share a field. */
    static ChoiceIndex build(List<Predicate> whens) {
        List<Map<String, Term>> termsOf = new ArrayList<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (Predicate p : whens) {
            Map<String, Term> terms = terms(p);
            termsOf.add(terms);
            terms.keySet().forEach(k -> count.merge(k, 1, Integer::sum));
        }
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> e : count.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        if (best == null || bestCount < MIN_INDEXED) {
            return null;
        }
        Map<Object, TreeSet<Integer>> byKey = new HashMap<>();
        List<Integer> unindexed = new ArrayList<>();
        Node field = null;
        for (int i = 0; i < termsOf.size(); i++) {
            Term t = termsOf.get(i).get(best);
            if (t == null) {
                unindexed.add(i);
                continue;
            }
            field = field == null ? t.operand() : field;
            for (Object key : t.keys()) {
                byKey.computeIfAbsent(key, k -> new TreeSet<>()).add(i);
            }
        }
        Map<Object, int[]> candidates = new HashMap<>(byKey.size() * 2);
        for (Map.Entry<Object, TreeSet<Integer>> e : byKey.entrySet()) {
            TreeSet<Integer> merged = e.getValue();
            merged.addAll(unindexed);
            candidates.put(e.getKey(), merged.stream().mapToInt(Integer::intValue).toArray());
        }
        return new ChoiceIndex(best, field, candidates, unindexed.stream().mapToInt(Integer::intValue).toArray(),
                bestCount);
    }

    /** The whens that may match an event whose indexed field has this value, in their original order. */
    int[] candidates(Object fieldValue) {
        int[] found = candidates.get(Values.canon(fieldValue));
        return found != null ? found : unindexed;
    }

    /** The necessary equality terms of one when, by field (first term per field). */
    static Map<String, Term> terms(Predicate p) {
        Map<String, Term> out = new LinkedHashMap<>();
        if (p instanceof EvExpression ev && ev.root() != null) {
            collect(ev.root(), out);
        }
        return out;
    }

    private static void collect(Node node, Map<String, Term> out) {
        if (node instanceof Node.And and) {
            for (Node t : and.terms) {
                collect(t, out);
            }
        } else if (node instanceof Node.EqualsLiteral eq && !eq.negated && fieldKey(eq.operand) != null) {
            out.putIfAbsent(fieldKey(eq.operand), new Term(fieldKey(eq.operand), eq.operand, List.of(eq.key)));
        } else if (node instanceof Node.InList in && fieldKey(in.operand) != null) {
            out.putIfAbsent(fieldKey(in.operand), new Term(fieldKey(in.operand), in.operand, List.copyOf(in.keys)));
        }
    }

    /** Identifies a field across whens; headers are case-insensitive in Camel. Null for non-fields. */
    private static String fieldKey(Node n) {
        if (n instanceof Node.EventField f) {
            return f.path.toString();
        }
        if (n instanceof Node.HeaderField h) {
            return "header." + h.name.toLowerCase(Locale.ROOT) + (h.rest == null ? "" : "." + h.rest);
        }
        return null;
    }
}
