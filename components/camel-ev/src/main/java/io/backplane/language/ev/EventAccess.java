package io.backplane.language.ev;

import java.io.InputStream;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.Exchange;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.StreamCache;
import org.apache.camel.TypeConversionException;

/**
 * The event an expression reads: the body itself when it is an {@link Event} or any map (the fast path: no copy, no
 * lookup), otherwise the body converted once per exchange by the Event type converter (JSON text, bytes, a stream)
 * and remembered in an exchange property next to the body it came from, so the fifty {@code when}s of a choice
 * parse a JSON body once, not fifty times.
 */
final class EventAccess {

    /** Exchange property holding the parsed body (internal). */
    static final String PROPERTY = "BackplaneEvParsedBody";

    private EventAccess() {
    }

    private record Parsed(Object body, Event event) {
    }

    @SuppressWarnings("unchecked")
    static Map<String, ?> event(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map<?, ?> map) {
            return (Map<String, ?>) map;
        }
        if (body == null) {
            return Map.of();
        }
        if (exchange.getProperty(PROPERTY) instanceof Parsed p && p.body == body) {
            return p.event;
        }
        Event event = convert(exchange, body);
        if (body instanceof InputStream && !(body instanceof StreamCache)) {
            // a plain stream can be read once: keep what was read as the body, or the route would lose it
            exchange.getMessage().setBody(event);
        } else {
            exchange.setProperty(PROPERTY, new Parsed(body, event));
        }
        return event;
    }

    private static Event convert(Exchange exchange, Object body) {
        try {
            return exchange.getContext().getTypeConverter().mandatoryConvertTo(Event.class, exchange, body);
        } catch (NoTypeConversionAvailableException e) {
            throw new EvEvaluationException("ev reads the event in the body, but the body is a "
                                            + body.getClass().getName() + ": not an event, a map or JSON", e);
        } catch (TypeConversionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new EvEvaluationException("ev reads the event in the body, but the body is not a valid event: "
                                            + cause.getMessage(), e);
        } finally {
            if (body instanceof StreamCache cache) {
                cache.reset();
            }
        }
    }
}
