package io.backplane.core.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backplane.core.EventPath;

/**
 * A text template with {@code ${path}} placeholders that are filled from an event and escaped for where the text
 * goes, so the safe way is the only way: in a {@link Escaping#SHELL} template every value becomes one single-quoted
 * shell word (no {@code $(...)}, backticks, {@code ;}, {@code |} or newline in an alert label can start a command);
 * in a {@link Escaping#JSON} template every value becomes a JSON value (a string cannot close its quotes).
 * <p>
 * Paths: {@code id}, {@code type}, {@code source}, {@code subject}, {@code time}, {@code causationid},
 * {@code data.a.b} (nested fields), or any top-level attribute. Compiled once; a missing value is an error rather
 * than an empty string, because {@code rm -rf /var/lib/${data.dir}} with an empty value is a different command.
 * <p>
 * The syntax is {@code ${...}} (as in Camel's simple language) and not {@code {{...}}}, because Camel resolves
 * {@code {{...}}} in endpoint URIs as property placeholders before a component ever sees the template.
 */
public final class Template {

    /** How a value is written into the text. */
    public enum Escaping {
        /** One POSIX shell word in single quotes. */
        SHELL,
        /** A JSON value: strings quoted and escaped, numbers/booleans/objects as JSON. */
        JSON,
        /**
         * Part of a URL: every byte but the RFC 3986 unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) is
         * percent-encoded (UTF-8), so {@code / ? # & = @ %} in a value stay data in one path segment or query value.
         */
        URL,
        /** As is: only for text no program interprets (log lines, chat messages). */
        TEXT
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Escaping escaping;
    private final List<Object> parts; // String literals and EventPaths

    private Template(String source, Escaping escaping, List<Object> parts) {
        this.source = source;
        this.escaping = escaping;
        this.parts = parts;
    }

    /** Compiles {@code text}; an unclosed or malformed placeholder is an error naming its position. */
    public static Template compile(String text, Escaping escaping) {
        return compile(text, 0, escaping);
    }

    /**
     * Compiles {@code text} from character {@code from} on (the part before is someone else's, e.g. a URL's fixed
     * host); error positions count from the start of {@code text} and messages show all of it.
     */
    public static Template compile(String text, int from, Escaping escaping) {
        List<Object> parts = new ArrayList<>();
        int at = from;
        while (at < text.length()) {
            int open = text.indexOf("${", at);
            if (open < 0) {
                parts.add(text.substring(at));
                break;
            }
            if (open > at) {
                parts.add(text.substring(at, open));
            }
            int close = text.indexOf('}', open + 2);
            if (close < 0) {
                throw new TemplateException("template has an unclosed '${' at character " + open + ": " + text);
            }
            String path = text.substring(open + 2, close).trim();
            if (path.isEmpty() || !path.matches("[A-Za-z0-9_.\\-]+")) {
                throw new TemplateException("template placeholder '${" + path + "}' at character " + open
                        + " is not a path like data.service");
            }
            parts.add(EventPath.compile(path));
            at = close + 1;
        }
        return new Template(text.substring(from), escaping, List.copyOf(parts));
    }

    /** Fills the placeholders from {@code event} (an Event or any map shaped like one). */
    public String render(Map<String, ?> event) {
        StringBuilder out = new StringBuilder(source.length() + 32);
        for (Object part : parts) {
            if (part instanceof String literal) {
                out.append(literal);
            } else {
                EventPath path = (EventPath) part;
                Object value = path.read(event);
                if (value == null) {
                    throw new TemplateException("the event has no value for ${" + path + "}");
                }
                append(out, value, path);
            }
        }
        return out.toString();
    }

    private void append(StringBuilder out, Object value, EventPath path) {
        switch (escaping) {
            case SHELL -> {
                requireSingle(value, path, "a shell command");
                out.append(shellQuote(String.valueOf(value)));
            }
            case JSON -> {
                try {
                    out.append(JSON.writeValueAsString(value));
                } catch (JsonProcessingException e) {
                    throw new TemplateException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage());
                }
            }
            case URL -> {
                requireSingle(value, path, "a URL");
                percentEncode(String.valueOf(value), out);
            }
            case TEXT -> out.append(value);
        }
    }

    private static void requireSingle(Object value, EventPath path, String where) {
        if (value instanceof Map || value instanceof Iterable) {
            throw new TemplateException(where + " takes single values, but ${" + path + "} is a "
                    + (value instanceof Map ? "JSON object" : "JSON array"));
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Percent-encodes everything but the RFC 3986 unreserved characters, as UTF-8. */
    public static void percentEncode(String value, StringBuilder out) {
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    /** The text with every placeholder replaced by {@code filler}: to check the fixed parts' syntax at start. */
    public String sample(String filler) {
        StringBuilder out = new StringBuilder(source.length());
        for (Object part : parts) {
            out.append(part instanceof String literal ? literal : filler);
        }
        return out.toString();
    }

    /**
     * One shell word that means exactly {@code value}: wrapped in single quotes, each quote written as
     * {@code '\''}. Nothing is special inside single quotes, so no expansion or command substitution can happen.
     * A NUL character cannot be passed to a command at all and is refused.
     */
    public static String shellQuote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new TemplateException("a value for a shell command contains a NUL character");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return source;
    }
}
