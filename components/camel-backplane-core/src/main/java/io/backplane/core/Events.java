package io.backplane.core;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Moving events in and out of Camel messages, the same way in every component. */
public final class Events {

    private Events() {
    }

    /** Puts the event in the body and mirrors its attributes as the camel-cloudevents headers. */
    public static void toMessage(Event event, Message message) {
        message.setBody(event);
        message.setHeader(EventHeaders.ID, event.id());
        message.setHeader(EventHeaders.SOURCE, event.source());
        message.setHeader(EventHeaders.TYPE, event.type());
        message.setHeader(EventHeaders.VERSION, "1.0");
        message.setHeader(EventHeaders.TIME, event.time());
        String subject = event.subject();
        if (subject != null) {
            message.setHeader(EventHeaders.SUBJECT, subject);
        }
        String causation = event.causationId();
        if (causation != null) {
            message.setHeader(EventHeaders.CAUSATION_ID, causation);
        }
    }

    /**
     * The event a route wants to publish: the body as an event (an {@link Event}, a map, JSON text or bytes). When
     * the body is not an event already and the type header names a tag, a map body is taken as the data of a new
     * event of that tag.
     */
    public static Event fromExchange(Exchange exchange, EventCodec codec) {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        if (body instanceof Event) {
            return (Event) body;
        }
        String tag = in.getHeader(EventHeaders.TYPE, String.class);
        if (body instanceof Map && !((Map<?, ?>) body).containsKey(Event.TYPE) && tag != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) body;
            return Event.builder(tag)
                    .subject(in.getHeader(EventHeaders.SUBJECT, String.class))
                    .causationId(in.getHeader(EventHeaders.CAUSATION_ID, String.class))
                    .data(data)
                    .build();
        }
        if (body instanceof Map) {
            return codec.fromMap((Map<?, ?>) body);
        }
        if (body == null) {
            throw new InvalidEventException("message body is empty: nothing to publish");
        }
        byte[] bytes = exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, body);
        if (bytes == null) {
            throw new InvalidEventException("message body of type " + body.getClass().getName()
                                            + " is not an event, a map or JSON");
        }
        return codec.parse(bytes);
    }
}
