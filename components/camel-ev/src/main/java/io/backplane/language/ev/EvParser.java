package io.backplane.language.ev;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.backplane.core.EventPath;
import io.backplane.core.InvalidEventException;
import io.backplane.core.TagGlob;

/**
 * Compiles an {@code ev} condition or value into a tree of {@link Node}s, once. The grammar (also in
 * docs/components/ev.md):
 *
 * <pre>
 * expr       := or
 * or         := and (('||' | 'or') and)*
 * and        := unary (('&amp;&amp;' | 'and') unary)*
 * unary      := ('!' | 'not') unary | 'exists' path | comparison
 * comparison := operand [ ('==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') operand
 *                       | 'in' (list | path) | 'contains' operand | '=~' string | 'glob' string ]
 * operand    := path | literal | '(' expr ')'
 * list       := '[' [literal (',' literal)*] ']'
 * literal    := string | number | 'true' | 'false' | 'null'
 * path       := name ('.' name)*        name := [A-Za-z0-9_-]+ (the first starts with a letter or '_')
 * </pre>
 */
final class EvParser {

    private enum Kind {
        PATH, STRING, NUMBER, KEYWORD, OP, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, END
    }

    private record Token(Kind kind, String text, Object value, int pos) {
        boolean is(Kind k, String t) {
            return kind == k && text.equals(t);
        }
    }

    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "contains", "glob", "exists", "true",
            "false", "null");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final String VALUE = "a value (a path, 'string', number, true, false, null or '(')";

    private final String source;
    private final List<Token> tokens;
    private int at;

    private EvParser(String source) {
        this.source = source;
        this.tokens = lex(source);
    }

    /** Compiles a condition or value expression (not a template). */
    static Node parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new EvSyntaxException(String.valueOf(expression), 1, "the expression is empty; expected " + VALUE);
        }
        EvParser p = new EvParser(expression);
        Node root = p.or();
        Token next = p.peek();
        if (next.kind != Kind.END) {
            throw p.error(next, "expected an operator (==, !=, <, <=, >, >=, in, contains, =~, glob), '&&', '||' "
                                + "or the end of the expression but found " + describe(next));
        }
        return root;
    }

    // ---------------------------------------------------------------- parser

    private Node or() {
        List<Node> terms = new ArrayList<>();
        terms.add(and());
        while (peek().is(Kind.OP, "||") || peek().is(Kind.KEYWORD, "or")) {
            at++;
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new Node.Or(terms);
    }

    private Node and() {
        List<Node> terms = new ArrayList<>();
        terms.add(unary());
        while (peek().is(Kind.OP, "&&") || peek().is(Kind.KEYWORD, "and")) {
            at++;
            terms.add(unary());
        }
        return terms.size() == 1 ? terms.get(0) : new Node.And(terms);
    }

    private Node unary() {
        Token t = peek();
        if (t.is(Kind.OP, "!") || t.is(Kind.KEYWORD, "not")) {
            at++;
            return new Node.Not(unary());
        }
        if (t.is(Kind.KEYWORD, "exists")) {
            at++;
            Token path = next();
            if (path.kind != Kind.PATH) {
                throw error(path, "expected a path after 'exists' (e.g. exists data.alert.name) but found "
                                  + describe(path));
            }
            return new Node.Exists(field(path));
        }
        return comparison();
    }

    private Node comparison() {
        Node left = operand();
        Token t = peek();
        Node result;
        if (t.kind == Kind.OP && COMPARISONS.contains(t.text)) {
            at++;
            result = compare(op(t.text), left, operand());
        } else if (t.is(Kind.KEYWORD, "in")) {
            at++;
            result = in(left);
        } else if (t.is(Kind.KEYWORD, "contains")) {
            at++;
            result = new Node.Contains(left, operand());
        } else if (t.is(Kind.OP, "=~")) {
            at++;
            Token regex = stringAfter("=~", "a regular expression");
            try {
                result = new Node.Matches(left, Pattern.compile((String) regex.value));
            } catch (PatternSyntaxException e) {
                throw new EvSyntaxException(source, regex.pos + 1, "invalid regular expression "
                                                                   + describe(regex) + ": " + e.getDescription(), e);
            }
        } else if (t.is(Kind.KEYWORD, "glob")) {
            at++;
            Token glob = stringAfter("glob", "a tag glob such as 'monitor/**/firing'");
            try {
                result = new Node.Glob(left, TagGlob.of((String) glob.value));
            } catch (InvalidEventException e) {
                throw new EvSyntaxException(source, glob.pos + 1, "invalid tag glob: " + e.getMessage(), e);
            }
        } else {
            return left;
        }
        Token chained = peek();
        if ((chained.kind == Kind.OP && (COMPARISONS.contains(chained.text) || chained.text.equals("=~")))
            || chained.is(Kind.KEYWORD, "in") || chained.is(Kind.KEYWORD, "contains")
            || chained.is(Kind.KEYWORD, "glob")) {
            throw error(chained, "comparisons do not chain: join them with && (found " + describe(chained) + ")");
        }
        return result;
    }

    private Token stringAfter(String operator, String what) {
        Token t = next();
        if (t.kind != Kind.STRING) {
            throw error(t, "expected a quoted string (" + what + ") after '" + operator + "' but found "
                           + describe(t));
        }
        return t;
    }

    private Node in(Node left) {
        Token t = next();
        if (t.kind == Kind.PATH) {
            return new Node.InValue(left, field(t));
        }
        if (t.kind != Kind.LBRACKET) {
            throw error(t, "expected a list such as ['a', 'b'] or a path after 'in' but found " + describe(t));
        }
        Set<Object> keys = new HashSet<>();
        StringBuilder text = new StringBuilder("[");
        int items = 0;
        if (!peek().is(Kind.RBRACKET, "]")) {
            while (true) {
                Token item = next();
                Node.Literal literal = literal(item);
                if (literal == null) {
                    throw error(item, "expected a literal ('string', number, true, false or null) in the list but "
                                      + "found " + describe(item));
                }
                keys.add(Values.canon(literal.value));
                text.append(items++ > 0 ? ", " : "").append(literal.text);
                Token sep = next();
                if (sep.kind == Kind.RBRACKET) {
                    break;
                }
                if (sep.kind != Kind.COMMA) {
                    throw error(sep, "expected ',' or ']' in the list but found " + describe(sep));
                }
            }
        } else {
            at++;
        }
        return new Node.InList(left, Set.copyOf(keys), text.append(']').toString());
    }

    private Node operand() {
        Token t = next();
        switch (t.kind) {
            case PATH:
                return field(t);
            case LPAREN: {
                Node inner = or();
                Token close = next();
                if (close.kind != Kind.RPAREN) {
                    throw error(close, "expected ')' to close the '(' at position " + (t.pos + 1) + " but found "
                                       + describe(close));
                }
                return inner;
            }
            default:
                Node.Literal literal = literal(t);
                if (literal == null) {
                    throw error(t, "expected " + VALUE + " but found " + describe(t));
                }
                return literal;
        }
    }

    private static Node.Literal literal(Token t) {
        switch (t.kind) {
            case STRING:
            case NUMBER:
                return new Node.Literal(t.value, t.kind == Kind.STRING ? quote((String) t.value) : t.text);
            case KEYWORD:
                switch (t.text) {
                    case "true":
                        return new Node.Literal(Boolean.TRUE, "true");
                    case "false":
                        return new Node.Literal(Boolean.FALSE, "false");
                    case "null":
                        return new Node.Literal(null, "null");
                    default:
                        return null;
                }
            default:
                return null;
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Picks the cheapest node for a comparison; a literal always ends up on the right. */
    private static Node compare(Node.Op op, Node left, Node right) {
        if (left instanceof Node.Literal && !(right instanceof Node.Literal)) {
            return compare(op.flipped(), right, left);
        }
        if (right instanceof Node.Literal literal) {
            if (op == Node.Op.EQ || op == Node.Op.NE) {
                return new Node.EqualsLiteral(left, literal, op == Node.Op.NE);
            }
            if (literal.value instanceof Number n) {
                return new Node.CompareNumber(left, op, n.doubleValue(), literal.text);
            }
        }
        return new Node.Compare(op, left, right);
    }

    private static Node.Op op(String symbol) {
        for (Node.Op op : Node.Op.values()) {
            if (op.symbol.equals(symbol)) {
                return op;
            }
        }
        throw new IllegalStateException(symbol);
    }

    /** A path token as an event field or a header. */
    private Node field(Token t) {
        String text = t.text;
        int dot = text.indexOf('.');
        String root = dot < 0 ? text : text.substring(0, dot);
        if (root.equals("header") || root.equals("headers")) {
            if (dot < 0) {
                throw new EvSyntaxException(source, t.pos + 1, "expected a header name after '" + root
                                                               + ".' (e.g. header.CamelCloudEventType)");
            }
            String rest = text.substring(dot + 1);
            int next = rest.indexOf('.');
            String name = next < 0 ? rest : rest.substring(0, next);
            return new Node.HeaderField(text, name, next < 0 ? null : EventPath.compile(rest.substring(next + 1)));
        }
        if (root.equals("ext")) {
            if (dot < 0) {
                throw new EvSyntaxException(source, t.pos + 1, "expected an attribute name after 'ext.' (e.g. "
                                                               + "ext.myextension)");
            }
            return new Node.EventField(EventPath.compile(text.substring(dot + 1)));
        }
        return new Node.EventField(EventPath.compile(text));
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        Token t = tokens.get(at);
        if (t.kind != Kind.END) {
            at++;
        }
        return t;
    }

    private EvSyntaxException error(Token t, String problem) {
        return new EvSyntaxException(source, t.pos + 1, problem);
    }

    private static String describe(Token t) {
        if (t.kind == Kind.END) {
            return "the end of the expression";
        }
        return "'" + t.text + "'";
    }

    // ---------------------------------------------------------------- lexer

    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                out.add(new Token(Kind.END, "", null, n));
                return out;
            }
            char c = s.charAt(i);
            int start = i;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
                while (i < n && (isNameChar(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                String text = s.substring(start, i);
                checkSegments(s, text, start);
                boolean keyword = text.indexOf('.') < 0 && KEYWORDS.contains(text);
                out.add(new Token(keyword ? Kind.KEYWORD : Kind.PATH, text, null, start));
            } else if (isDigit(c) || (c == '-' && i + 1 < n && isDigit(s.charAt(i + 1)))) {
                i = number(s, i, out);
            } else if (c == '\'' || c == '"') {
                i = string(s, i, out);
            } else {
                String two = i + 1 < n ? s.substring(i, i + 2) : "";
                switch (two) {
                    case "==", "!=", "<=", ">=", "&&", "||", "=~" -> {
                        out.add(new Token(Kind.OP, two, null, start));
                        i += 2;
                        continue;
                    }
                    default -> {
                    }
                }
                switch (c) {
                    case '<', '>', '!' -> out.add(new Token(Kind.OP, String.valueOf(c), null, start));
                    case '(' -> out.add(new Token(Kind.LPAREN, "(", null, start));
                    case ')' -> out.add(new Token(Kind.RPAREN, ")", null, start));
                    case '[' -> out.add(new Token(Kind.LBRACKET, "[", null, start));
                    case ']' -> out.add(new Token(Kind.RBRACKET, "]", null, start));
                    case ',' -> out.add(new Token(Kind.COMMA, ",", null, start));
                    case '=' -> throw new EvSyntaxException(s, start + 1, "unexpected '=': compare with ==");
                    case '&' -> throw new EvSyntaxException(s, start + 1, "unexpected '&': 'and' is && (or and)");
                    case '|' -> throw new EvSyntaxException(s, start + 1, "unexpected '|': 'or' is || (or or)");
                    case '$' -> throw new EvSyntaxException(s, start + 1, "unexpected '$': paths are written without "
                                                                          + "${...} (data.alert.name), templates need "
                                                                          + "${...} around each path");
                    default -> throw new EvSyntaxException(s, start + 1, "unexpected character '" + c + "'");
                }
                i++;
            }
        }
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static void checkSegments(String s, String path, int start) {
        int segment = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '.') {
                if (i == segment) {
                    throw new EvSyntaxException(s, start + i + 1, i == path.length()
                            ? "expected a field name after '.' in '" + path + "'"
                            : "empty field name (two dots) in '" + path + "'");
                }
                segment = i + 1;
            }
        }
    }

    private static int number(String s, int i, List<Token> out) {
        int start = i;
        int n = s.length();
        if (s.charAt(i) == '-') {
            i++;
        }
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        boolean integral = true;
        if (i < n && s.charAt(i) == '.' && i + 1 < n && isDigit(s.charAt(i + 1))) {
            integral = false;
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int e = i + 1;
            if (e < n && (s.charAt(e) == '+' || s.charAt(e) == '-')) {
                e++;
            }
            if (e < n && isDigit(s.charAt(e))) {
                integral = false;
                i = e;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
            }
        }
        if (i < n && (isNameChar(s.charAt(i)) || s.charAt(i) == '.')) {
            int end = i;
            while (end < n && (isNameChar(s.charAt(end)) || s.charAt(end) == '.')) {
                end++;
            }
            throw new EvSyntaxException(s, start + 1, "invalid number '" + s.substring(start, end)
                                                      + "' (numbers look like 3, -0.5, 1e6; quote text: 'x')");
        }
        String text = s.substring(start, i);
        Object value;
        if (integral) {
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException tooBig) {
                value = Double.parseDouble(text);
            }
        } else {
            value = Double.parseDouble(text);
        }
        if (value instanceof Double d && d.isInfinite()) {
            throw new EvSyntaxException(s, start + 1, "number '" + text + "' is out of range");
        }
        out.add(new Token(Kind.NUMBER, text, value, start));
        return i;
    }

    private static int string(String s, int i, List<Token> out) {
        int start = i;
        char quote = s.charAt(i++);
        StringBuilder b = new StringBuilder();
        int n = s.length();
        while (true) {
            if (i >= n) {
                throw new EvSyntaxException(s, start + 1, "unterminated string: the " + quote + " is never closed");
            }
            char c = s.charAt(i++);
            if (c == quote) {
                break;
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= n) {
                throw new EvSyntaxException(s, start + 1, "unterminated string: the " + quote + " is never closed");
            }
            char e = s.charAt(i++);
            switch (e) {
                case '\\', '\'', '"', '/' -> b.append(e);
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'u' -> {
                    if (i + 4 > n) {
                        throw new EvSyntaxException(s, i - 1, "\\u needs four hex digits");
                    }
                    try {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException bad) {
                        throw new EvSyntaxException(s, i - 1, "\\u needs four hex digits, not '"
                                                              + s.substring(i, i + 4) + "'");
                    }
                    i += 4;
                }
                default -> throw new EvSyntaxException(s, i - 1, "unknown escape '\\" + e
                                                                 + "' (known: \\\\ \\' \\\" \\n \\t \\r \\uXXXX)");
            }
        }
        out.add(new Token(Kind.STRING, s.substring(start, i), b.toString(), start));
        return i;
    }
}
