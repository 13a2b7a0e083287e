package io.backplane.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.EventPath;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/**
 * Reads the grouping key of an exchange: comma-separated event paths compiled once ({@code subject},
 * {@code subject,type}, {@code data.labels.service}; several values are joined with '/'), or an expression in a
 * Camel language ({@code keyLanguage=simple}).
 */
public final class KeyReader {

    private final String text;
    private final String readerName; // for the error when the body is not an event
    private final EventPath[] paths;
    private final Expression expression;

    private KeyReader(String text, EventPath[] paths, Expression expression) {
        this.text = text;
        this.readerName = "the key " + text;
        this.paths = paths;
        this.expression = expression;
    }

    public static KeyReader of(CamelContext context, String key, String language, String owner) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(owner + ": key is empty (an event path such as subject, or an "
                                               + "expression with keyLanguage)");
        }
        if (language != null && !language.isBlank()) {
            Expression e = context.resolveLanguage(language.trim()).createExpression(key);
            e.init(context);
            return new KeyReader(key, null, e);
        }
        List<EventPath> compiled = new ArrayList<>();
        for (String p : key.split(",")) {
            try {
                compiled.add(EventPath.compile(p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(owner + ": key " + e.getMessage()
                                                   + " (or set keyLanguage to use an expression)", e);
            }
        }
        return new KeyReader(key, compiled.toArray(new EventPath[0]), null);
    }

    /** The key, or null when the event has no value there. */
    public String read(Exchange exchange) {
        if (expression != null) {
            String v = expression.evaluate(exchange, String.class);
            return v == null || v.isEmpty() ? null : v;
        }
        Map<String, ?> event = Events.bodyEvent(exchange, readerName);
        if (paths.length == 1) {
            return string(paths[0].read(event));
        }
        StringBuilder out = new StringBuilder();
        for (EventPath p : paths) {
            String v = string(p.read(event));
            if (v == null) {
                return null;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(v);
        }
        return out.toString();
    }

    private static String string(Object v) {
        if (v == null) {
            return null;
        }
        String s = v.toString();
        return s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return text;
    }
}
