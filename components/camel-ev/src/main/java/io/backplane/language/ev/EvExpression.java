package io.backplane.language.ev;

import java.util.Map;

import io.backplane.core.template.Template;
import io.backplane.core.template.TemplateException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;

/**
 * A compiled {@code ev} expression: a condition ({@code data.alert.severity > 2}), a value ({@code data.load}) or a
 * text template ({@code disk ${data.mount} at ${data.value}%}). Immutable and thread-safe; compiled once when the
 * route is created, evaluated per exchange without parsing, reflection or per-event allocation beyond what the
 * values themselves need.
 */
public final class EvExpression implements Expression, Predicate {

    private final String text;
    private final Node root;
    private final Template template;
    private final boolean usesEvent;

    private EvExpression(String text, Node root, Template template) {
        this.text = text;
        this.root = root;
        this.template = template;
        this.usesEvent = template != null || root.usesEvent();
    }

    /** Compiles a value expression; text containing {@code ${} is a template rendered as text. */
    public static EvExpression expression(String text) {
        if (text != null && text.contains("${")) {
            try {
                return new EvExpression(text, null, Template.compile(text, Template.Escaping.TEXT));
            } catch (TemplateException e) {
                throw new EvSyntaxException(text, text.indexOf("${") + 1, "invalid template: " + e.getMessage(), e);
            }
        }
        return new EvExpression(text, EvParser.parse(text), null);
    }

    /** Compiles a condition. */
    public static EvExpression predicate(String text) {
        if (text != null && text.contains("${")) {
            throw new EvSyntaxException(text, text.indexOf("${") + 1, "a template ('${...}') makes text, not a "
                                                                     + "condition: write paths without ${} "
                                                                     + "(data.alert.severity > 2)");
        }
        return new EvExpression(text, EvParser.parse(text), null);
    }

    /** Nothing to do: everything was compiled when the expression was created. */
    @Override
    public void init(CamelContext context) {
    }

    @Override
    public boolean matches(Exchange exchange) {
        return root.test(usesEvent ? EventAccess.event(exchange) : null, exchange);
    }

    @Override
    public <T> T evaluate(Exchange exchange, Class<T> type) {
        Object value = value(exchange);
        if (type == Object.class || value == null) {
            return type.cast(value);
        }
        return exchange.getContext().getTypeConverter().convertTo(type, exchange, value);
    }

    private Object value(Exchange exchange) {
        Map<String, ?> event = usesEvent ? EventAccess.event(exchange) : null;
        if (template == null) {
            return root.value(event, exchange);
        }
        try {
            return template.render(event);
        } catch (TemplateException e) {
            throw new EvEvaluationException("ev template '" + text + "': " + e.getMessage(), e);
        }
    }

    /** The compiled tree (null for a template), for the indexed choice. */
    Node root() {
        return root;
    }

    /** The expression as written. */
    public String getText() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
