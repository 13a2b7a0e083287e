package io.backplane.language.ev;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.backplane.core.EventPath;
import io.backplane.core.InvalidEventException;
import io.backplane.core.TagGlob;
import org.apache.camel.Exchange;

/**
 * One node of a compiled {@code ev} expression. Evaluation takes the event (the body as a map; null when the
 * expression reads no event field) and the exchange (for headers); it never throws for missing fields or values of
 * the wrong type: those are null and false, as the doc page states.
 */
abstract class Node {

    /** The value of this node; conditions return Boolean.TRUE or Boolean.FALSE (cached, no allocation). */
    abstract Object value(Map<String, ?> event, Exchange exchange);

    /** This node as a condition. */
    boolean test(Map<String, ?> event, Exchange exchange) {
        return Values.truthy(value(event, exchange));
    }

    /** Whether evaluation reads the event in the body (false for header-only expressions and literals). */
    abstract boolean usesEvent();

    /** A field of the event: {@code data.alert.name}, {@code subject}. */
    static final class EventField extends Node {
        final EventPath path;

        EventField(EventPath path) {
            this.path = path;
        }

        @Override
        Object value(Map<String, ?> event, Exchange exchange) {
            return path.read(event);
        }

        @Override
        boolean usesEvent() {
            return true;
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A message header, optionally followed by keys into a map-valued header: {@code header.CamelCloudEventType}. */
    static final class HeaderField extends Node {
        final String text;
        final String name;
        final EventPath rest;

        HeaderField(String text, String name, EventPath rest) {
            this.text = text;
            this.name = name;
            this.rest = rest;
        }

        @Override
        @SuppressWarnings("unchecked")
        Object value(Map<String, ?> event, Exchange exchange) {
            Object v = exchange.getMessage().getHeader(name);
            if (rest == null) {
                return v;
            }
            return v instanceof Map<?, ?> map ? rest.read((Map<String, ?>) map) : null;
        }

        @Override
        boolean usesEvent() {
            return false;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static final class Literal extends Node {
        final Object value;
        final String text;

        Literal(Object value, String text) {
            this.value = value;
            this.text = text;
        }

        @Override
        Object value(Map<String, ?> event, Exchange exchange) {
            return value;
        }

        @Override
        boolean usesEvent() {
            return false;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Base of the nodes whose value is a boolean. */
    abstract static class Condition extends Node {
        @Override
        final Object value(Map<String, ?> event, Exchange exchange) {
            return test(event, exchange) ? Boolean.TRUE : Boolean.FALSE;
        }

        @Override
        abstract boolean test(Map<String, ?> event, Exchange exchange);
    }

    static final class And extends Condition {
        final Node[] terms;

        And(List<Node> terms) {
            this.terms = terms.toArray(new Node[0]);
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            for (Node t : terms) {
                if (!t.test(event, exchange)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        boolean usesEvent() {
            return anyUsesEvent(terms);
        }

        @Override
        public String toString() {
            return join(terms, " && ");
        }
    }

    static final class Or extends Condition {
        final Node[] terms;

        Or(List<Node> terms) {
            this.terms = terms.toArray(new Node[0]);
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            for (Node t : terms) {
                if (t.test(event, exchange)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        boolean usesEvent() {
            return anyUsesEvent(terms);
        }

        @Override
        public String toString() {
            return join(terms, " || ");
        }
    }

    static final class Not extends Condition {
        final Node term;

        Not(Node term) {
            this.term = term;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            return !term.test(event, exchange);
        }

        @Override
        boolean usesEvent() {
            return term.usesEvent();
        }

        @Override
        public String toString() {
            return "!(" + term + ")";
        }
    }

    /** The comparison operators. */
    enum Op {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        /** The operator with its operands swapped: {@code 2 < x} is {@code x > 2}. */
        Op flipped() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }

        boolean holds(int cmp) {
            if (cmp == Values.INCOMPARABLE) {
                return false;
            }
            return switch (this) {
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
            };
        }
    }

    /** Any comparison of two operands. */
    static final class Compare extends Condition {
        final Op op;
        final Node left;
        final Node right;

        Compare(Op op, Node left, Node right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            Object a = left.value(event, exchange);
            Object b = right.value(event, exchange);
            if (op == Op.EQ) {
                return Values.equal(a, b);
            }
            if (op == Op.NE) {
                return !Values.equal(a, b);
            }
            return op.holds(Values.compare(a, b));
        }

        @Override
        boolean usesEvent() {
            return left.usesEvent() || right.usesEvent();
        }

        @Override
        public String toString() {
            return left + " " + op.symbol + " " + right;
        }
    }

    /**
     * {@code x == literal} (or {@code !=}): the literal's canonical key is computed once, and the common case, a
     * string field against a non-numeric string literal, is one {@code String.equals}.
     */
    static final class EqualsLiteral extends Condition {
        final Node operand;
        final Literal literal;
        final boolean negated;
        final Object key;
        /** The literal when it is a non-numeric string, else null. */
        private final String text;

        EqualsLiteral(Node operand, Literal literal, boolean negated) {
            this.operand = operand;
            this.literal = literal;
            this.negated = negated;
            this.key = Values.canon(literal.value);
            this.text = key instanceof String s ? s : null;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            Object v = operand.value(event, exchange);
            boolean equal;
            if (text != null && v instanceof String s) {
                // a string equal to a non-numeric literal is itself non-numeric: plain equals is the canonical test
                equal = s.equals(text);
            } else {
                equal = Values.canon(v).equals(key);
            }
            return equal != negated;
        }

        @Override
        boolean usesEvent() {
            return operand.usesEvent();
        }

        @Override
        public String toString() {
            return operand + (negated ? " != " : " == ") + literal;
        }
    }

    /** {@code x < 2}, {@code x >= 0.5}: an ordering against a number literal. */
    static final class CompareNumber extends Condition {
        final Node operand;
        final Op op;
        final double number;
        final String text;

        CompareNumber(Node operand, Op op, double number, String text) {
            this.operand = operand;
            this.op = op;
            this.number = number;
            this.text = text;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            double d = Values.numeric(operand.value(event, exchange));
            if (Double.isNaN(d)) {
                return false; // missing or not a number: no order
            }
            return switch (op) {
                case LT -> d < number;
                case LE -> d <= number;
                case GT -> d > number;
                case GE -> d >= number;
                default -> throw new IllegalStateException(op.symbol);
            };
        }

        @Override
        boolean usesEvent() {
            return operand.usesEvent();
        }

        @Override
        public String toString() {
            return operand + " " + op.symbol + " " + text;
        }
    }

    /** {@code x in ['a', 'b', 3]}: one hash lookup of the canonical key. */
    static final class InList extends Condition {
        final Node operand;
        final Set<Object> keys;
        final String text;

        InList(Node operand, Set<Object> keys, String text) {
            this.operand = operand;
            this.keys = keys;
            this.text = text;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            return keys.contains(Values.canon(operand.value(event, exchange)));
        }

        @Override
        boolean usesEvent() {
            return operand.usesEvent();
        }

        @Override
        public String toString() {
            return operand + " in " + text;
        }
    }

    /** {@code x in data.list}: x equals an element of a list, or is a key of a map. */
    static final class InValue extends Condition {
        final Node operand;
        final Node container;

        InValue(Node operand, Node container) {
            this.operand = operand;
            this.container = container;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            return contains(container.value(event, exchange), operand.value(event, exchange));
        }

        @Override
        boolean usesEvent() {
            return operand.usesEvent() || container.usesEvent();
        }

        @Override
        public String toString() {
            return operand + " in " + container;
        }
    }

    /** {@code x contains y}: substring of a string, element of a list, key of a map. */
    static final class Contains extends Condition {
        final Node container;
        final Node item;

        Contains(Node container, Node item) {
            this.container = container;
            this.item = item;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            return contains(container.value(event, exchange), item.value(event, exchange));
        }

        @Override
        boolean usesEvent() {
            return container.usesEvent() || item.usesEvent();
        }

        @Override
        public String toString() {
            return container + " contains " + item;
        }
    }

    static boolean contains(Object container, Object item) {
        if (container == null || item == null) {
            return false;
        }
        if (container instanceof Collection<?> list) {
            Object key = Values.canon(item);
            for (Object element : list) {
                if (Values.canon(element).equals(key)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> map) {
            String key = Values.text(item);
            return key != null && map.containsKey(key);
        }
        String text = Values.text(container);
        String part = Values.text(item);
        return text != null && part != null && text.contains(part);
    }

    /** {@code x =~ 'regex'}: the regex is found in the value's text (use ^...$ for a whole match). */
    static final class Matches extends Condition {
        final Node operand;
        final Pattern pattern;

        Matches(Node operand, Pattern pattern) {
            this.operand = operand;
            this.pattern = pattern;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            String text = Values.text(operand.value(event, exchange));
            return text != null && pattern.matcher(text).find();
        }

        @Override
        boolean usesEvent() {
            return operand.usesEvent();
        }

        @Override
        public String toString() {
            return operand + " =~ '" + pattern.pattern() + "'";
        }
    }

    /** {@code type glob 'monitor/**}{@code /firing'}: a tag glob, segment by segment. */
    static final class Glob extends Condition {
        final Node operand;
        final TagGlob glob;

        Glob(Node operand, TagGlob glob) {
            this.operand = operand;
            this.glob = glob;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            if (!(operand.value(event, exchange) instanceof String tag)) {
                return false;
            }
            try {
                return glob.matches(tag);
            } catch (InvalidEventException notATag) {
                return false; // empty segments or whitespace: no tag, so no match
            }
        }

        @Override
        boolean usesEvent() {
            return operand.usesEvent();
        }

        @Override
        public String toString() {
            return operand + " glob '" + glob + "'";
        }
    }

    /** {@code exists data.x}: the field is present and not null. */
    static final class Exists extends Condition {
        final Node field;

        Exists(Node field) {
            this.field = field;
        }

        @Override
        boolean test(Map<String, ?> event, Exchange exchange) {
            return field.value(event, exchange) != null;
        }

        @Override
        boolean usesEvent() {
            return field.usesEvent();
        }

        @Override
        public String toString() {
            return "exists " + field;
        }
    }

    private static boolean anyUsesEvent(Node[] nodes) {
        for (Node n : nodes) {
            if (n.usesEvent()) {
                return true;
            }
        }
        return false;
    }

    private static String join(Node[] nodes, String separator) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < nodes.length; i++) {
            if (i > 0) {
                b.append(separator);
            }
            b.append(nodes[i]);
        }
        return b.append(')').toString();
    }
}
