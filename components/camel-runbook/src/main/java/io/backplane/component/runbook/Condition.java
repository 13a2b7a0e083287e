package io.backplane.component.runbook;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.backplane.core.Event;
import io.backplane.core.EventPath;

/**
 * A step's {@code when}: a small boolean expression over the results of earlier steps and the triggering event,
 * parsed once when the runbook is read. Deliberately tiny (comparisons, {@code in}, {@code contains}, {@code and},
 * {@code or}, {@code not}, parentheses) so a checklist stays readable and every mistake is found at start:
 *
 * <pre>
 * steps.check-disk.outcome == 'ok'
 * steps.restart.outcome in ['failed', 'timeout'] or steps.restart.exitCode != 0
 * steps.status.stdout contains 'inactive' and not (event.data.service == 'db')
 * </pre>
 *
 * Names: {@code steps.<id>.<field>[.<field>...]} reads a field of an earlier step (its {@code outcome}, one of ok,
 * failed, timeout, refused, skipped; its {@code error}; or any field of its result event's data such as
 * {@code exitCode} or {@code status}); {@code event.<path>} reads the triggering event ({@code event.subject},
 * {@code event.data.service}). A missing value is {@code null}; evaluating never throws.
 */
final class Condition {

    /** What a condition reads: the records of the steps so far and the triggering event. */
    interface Scope {
        /** The fields of step {@code id} (outcome, error, its result's data), or null if it has not been reached. */
        Map<String, Object> step(String id);

        Event trigger();
    }

    private interface Node {
        Object eval(Scope scope);
    }

    private final String text;
    private final Node root;
    private final Set<String> steps;

    private Condition(String text, Node root, Set<String> steps) {
        this.text = text;
        this.root = root;
        this.steps = steps;
    }

    /** Parses {@code text}; a syntax error is an IllegalArgumentException naming the character position. */
    static Condition parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the condition is empty");
        }
        Parser parser = new Parser(text);
        Node root = parser.or();
        if (parser.peek() != null) {
            throw parser.error("unexpected '" + parser.peek().text + "'");
        }
        return new Condition(text, root, parser.steps);
    }

    boolean test(Scope scope) {
        return Boolean.TRUE.equals(root.eval(scope));
    }

    /** The step ids this condition reads, in order of appearance. */
    Set<String> steps() {
        return steps;
    }

    @Override
    public String toString() {
        return text;
    }

    // --- evaluation ---

    private record Literal(Object value) implements Node {
        @Override
        public Object eval(Scope scope) {
            return value;
        }
    }

    private record ListLiteral(List<Node> items) implements Node {
        @Override
        public Object eval(Scope scope) {
            List<Object> values = new ArrayList<>(items.size());
            for (Node item : items) {
                values.add(item.eval(scope));
            }
            return values;
        }
    }

    private record StepField(String step, String[] path) implements Node {
        @Override
        public Object eval(Scope scope) {
            Object current = scope.step(step);
            for (String key : path) {
                if (!(current instanceof Map<?, ?> map)) {
                    return null;
                }
                current = map.get(key);
            }
            return current;
        }
    }

    private record EventField(EventPath path) implements Node {
        @Override
        public Object eval(Scope scope) {
            Event trigger = scope.trigger();
            return trigger == null ? null : path.read(trigger);
        }
    }

    private record Not(Node operand) implements Node {
        @Override
        public Object eval(Scope scope) {
            return !Boolean.TRUE.equals(operand.eval(scope));
        }
    }

    private record Logical(boolean and, Node left, Node right) implements Node {
        @Override
        public Object eval(Scope scope) {
            boolean l = Boolean.TRUE.equals(left.eval(scope));
            if (and ? !l : l) {
                return l;
            }
            return Boolean.TRUE.equals(right.eval(scope));
        }
    }

    private record Compare(String op, Node left, Node right) implements Node {
        @Override
        public Object eval(Scope scope) {
            Object l = left.eval(scope);
            Object r = right.eval(scope);
            return switch (op) {
                case "==" -> same(l, r);
                case "!=" -> !same(l, r);
                case "in" -> r instanceof Collection<?> c && c.stream().anyMatch(item -> same(l, item));
                case "contains" -> contains(l, r);
                default -> order(op, l, r);
            };
        }
    }

    /** Equality as a reader expects: numbers by value (0 == 0.0), everything else by equals. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return number(x).compareTo(number(y)) == 0;
        }
        return Objects.equals(a, b);
    }

    private static boolean contains(Object container, Object item) {
        if (container instanceof String s) {
            return item instanceof String part && s.contains(part);
        }
        if (container instanceof Collection<?> c) {
            return c.stream().anyMatch(element -> same(element, item));
        }
        return false;
    }

    /** {@code < <= > >=} on numbers; false when either side is not a number. */
    private static boolean order(String op, Object a, Object b) {
        if (!(a instanceof Number x) || !(b instanceof Number y)) {
            return false;
        }
        int c = number(x).compareTo(number(y));
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private static BigDecimal number(Number n) {
        if (n instanceof BigDecimal b) {
            return b;
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : BigDecimal.valueOf(Double.MAX_VALUE * Math.signum(d));
        }
        return new BigDecimal(n.toString());
    }

    // --- parsing ---

    private record Token(String kind, String text, Object value, int at) {
    }

    /** Recursive descent: or := and ('or' and)*; and := unary ('and' unary)*; unary := 'not' unary | primary. */
    private static final class Parser {
        private final String text;
        private final List<Token> tokens;
        private final Set<String> steps = new LinkedHashSet<>();
        private int next;

        Parser(String text) {
            this.text = text;
            this.tokens = tokenize(text);
        }

        Token peek() {
            return next < tokens.size() ? tokens.get(next) : null;
        }

        private boolean word(String w) {
            Token t = peek();
            if (t != null && t.kind.equals("name") && t.text.equals(w)) {
                next++;
                return true;
            }
            return false;
        }

        private boolean symbol(String s) {
            Token t = peek();
            if (t != null && t.kind.equals("symbol") && t.text.equals(s)) {
                next++;
                return true;
            }
            return false;
        }

        Node or() {
            Node left = and();
            while (word("or")) {
                left = new Logical(false, left, and());
            }
            return left;
        }

        private Node and() {
            Node left = unary();
            while (word("and")) {
                left = new Logical(true, left, unary());
            }
            return left;
        }

        private Node unary() {
            if (word("not")) {
                return new Not(unary());
            }
            Token start = peek();
            Node node = comparison();
            if (!(node instanceof Compare) && !(node instanceof Logical) && !(node instanceof Not)) {
                throw at(start, "'" + start.text + "' is a value, not a condition: compare it, for example "
                                + start.text + " == 'ok'");
            }
            return node;
        }

        private Node comparison() {
            Node left = operand();
            Token t = peek();
            if (t == null) {
                return left;
            }
            String op = null;
            if (t.kind.equals("symbol") && List.of("==", "!=", "<", "<=", ">", ">=").contains(t.text)) {
                op = t.text;
            } else if (t.kind.equals("name") && (t.text.equals("in") || t.text.equals("contains"))) {
                op = t.text;
            }
            if (op == null) {
                return left;
            }
            next++;
            if (peek() == null) {
                throw error("expected a value after '" + op + "'");
            }
            Node right = operand();
            if (op.equals("in") && !(right instanceof ListLiteral)) {
                throw error("'in' needs a list such as ['failed', 'timeout']");
            }
            return new Compare(op, left, right);
        }

        private Node operand() {
            Token t = peek();
            if (t == null) {
                throw error("expected a name such as steps.<id>.outcome, a value or '('");
            }
            if (symbol("(")) {
                Node inner = or();
                if (!symbol(")")) {
                    throw error("expected ')'");
                }
                return inner;
            }
            if (symbol("[")) {
                List<Node> items = new ArrayList<>();
                if (!symbol("]")) {
                    do {
                        Token item = peek();
                        if (item == null || !item.kind.equals("value")) {
                            throw error("a list holds values ('text', numbers, true, false, null)");
                        }
                        next++;
                        items.add(new Literal(item.value));
                    } while (symbol(","));
                    if (!symbol("]")) {
                        throw error("expected ',' or ']'");
                    }
                }
                return new ListLiteral(items);
            }
            next++;
            if (t.kind.equals("value")) {
                return new Literal(t.value);
            }
            if (t.kind.equals("name")) {
                return name(t);
            }
            throw new IllegalArgumentException("unexpected '" + t.text + "' at character " + (t.at + 1) + " of '"
                                               + text + "'");
        }

        private Node name(Token t) {
            String[] parts = t.text.split("\\.", -1);
            for (String part : parts) {
                if (part.isEmpty()) {
                    throw at(t, "'" + t.text + "' has an empty part");
                }
            }
            if (parts[0].equals("steps")) {
                if (parts.length < 3) {
                    throw at(t, "'" + t.text + "' names no field: write steps.<id>.outcome, steps.<id>.exitCode, ...");
                }
                steps.add(parts[1]);
                String[] path = new String[parts.length - 2];
                System.arraycopy(parts, 2, path, 0, path.length);
                return new StepField(parts[1], path);
            }
            if (parts[0].equals("event")) {
                if (parts.length < 2) {
                    throw at(t, "'event' names no field: write event.subject, event.data.service, ...");
                }
                try {
                    return new EventField(EventPath.compile(t.text.substring("event.".length())));
                } catch (IllegalArgumentException e) {
                    throw at(t, e.getMessage());
                }
            }
            if (Set.of("and", "or", "not", "in", "contains").contains(t.text)) {
                throw at(t, "'" + t.text + "' needs something before it");
            }
            throw at(t, "unknown name '" + t.text + "': conditions read steps.<id>.<field> and event.<path>, and "
                        + "text values are quoted ('ok')");
        }

        private IllegalArgumentException at(Token t, String message) {
            return new IllegalArgumentException(message + " (at character " + (t.at + 1) + " of '" + text + "')");
        }

        IllegalArgumentException error(String message) {
            Token t = peek();
            int at = t == null ? text.length() : t.at;
            return new IllegalArgumentException(message + " at character " + (at + 1) + " of '" + text + "'");
        }

        private static List<Token> tokenize(String s) {
            List<Token> out = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '\'' || c == '"') {
                    StringBuilder value = new StringBuilder();
                    int j = i + 1;
                    boolean closed = false;
                    while (j < s.length()) {
                        char d = s.charAt(j);
                        if (d == '\\' && j + 1 < s.length()) {
                            value.append(s.charAt(j + 1));
                            j += 2;
                        } else if (d == c) {
                            closed = true;
                            j++;
                            break;
                        } else {
                            value.append(d);
                            j++;
                        }
                    }
                    if (!closed) {
                        throw new IllegalArgumentException("unclosed " + c + " at character " + (i + 1) + " of '"
                                                           + s + "'");
                    }
                    out.add(new Token("value", s.substring(i, j), value.toString(), i));
                    i = j;
                } else if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                    int j = i + 1;
                    while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                        j++;
                    }
                    String number = s.substring(i, j);
                    try {
                        out.add(new Token("value", number, new BigDecimal(number), i));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + number + "' at character " + (i + 1) + " of '" + s
                                                           + "' is not a number");
                    }
                    i = j;
                } else if (Character.isLetter(c) || c == '_') {
                    int j = i + 1;
                    while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || "_-.".indexOf(s.charAt(j)) >= 0)) {
                        j++;
                    }
                    String word = s.substring(i, j);
                    switch (word) {
                        case "true" -> out.add(new Token("value", word, Boolean.TRUE, i));
                        case "false" -> out.add(new Token("value", word, Boolean.FALSE, i));
                        case "null" -> out.add(new Token("value", word, null, i));
                        default -> out.add(new Token("name", word, null, i));
                    }
                    i = j;
                } else {
                    String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                    if (List.of("==", "!=", "<=", ">=").contains(two)) {
                        out.add(new Token("symbol", two, null, i));
                        i += 2;
                    } else if ("<>()[],".indexOf(c) >= 0) {
                        out.add(new Token("symbol", String.valueOf(c), null, i));
                        i++;
                    } else if (c == '=') {
                        throw new IllegalArgumentException("'=' at character " + (i + 1) + " of '" + s
                                                           + "': compare with '=='");
                    } else if (c == '&' || c == '|' || c == '!') {
                        throw new IllegalArgumentException("'" + c + "' at character " + (i + 1) + " of '" + s
                                                           + "': write and, or, not (or != for 'not equal')");
                    } else {
                        throw new IllegalArgumentException("unexpected '" + c + "' at character " + (i + 1) + " of '"
                                                           + s + "'");
                    }
                }
            }
            return out;
        }
    }
}
