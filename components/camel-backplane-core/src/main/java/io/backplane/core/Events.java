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
        message.setHeader(EventHeaders.DATA_CONTENT_TYPE, "application/json");
        // remove what a previous event of this exchange set and this one lacks
        setOrRemove(message, EventHeaders.SUBJECT, event.subject());
        setOrRemove(message, EventHeaders.CAUSATION_ID, event.causationId());
    }

    private static void setOrRemove(Message message, String header, String value) {
        if (value != null) {
            message.setHeader(header, value);
        } else {
            message.removeHeader(header);
        }
    }

    /**
     * The event in the body, for reading fields: an Event or a Map as it is, event JSON (text or bytes) through the
     * type converters, which parse it once and leave the parsed event in the body for the steps after.
     *
     * @param who the reader, for the error, e.g. {@code register:disk}
     * @throws InvalidEventException when the body is not an event
     */
    @SuppressWarnings("unchecked")
    public static Map<String, ?> bodyEvent(Exchange exchange, String who) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map) {
            return (Map<String, ?>) body;
        }
        Event converted = body == null ? null
                : exchange.getContext().getTypeConverter().tryConvertTo(Event.class, exchange, body);
        if (converted == null) {
            throw new InvalidEventException(who + " needs an event in the body (an io.backplane.core.Event, a Map or "
                                            + "event JSON), not " + (body == null ? "an empty body"
                                            : "a " + body.getClass().getName()));
        }
        exchange.getMessage().setBody(converted);
        return converted;
    }

    /**
     * The event a route wants to publish, from the body: an {@link Event}, a map, JSON text or bytes.
     * <ul>
     * <li>JSON text or bytes holding an object are read into a map first.</li>
     * <li>A map without a {@code type} is the data of a new event whose tag is {@code tag} (or, when that is null,
     * the {@code CamelCloudEventType} header), whose subject is the subject header, and whose cause is the event the
     * route received (the id header): result events chain to their causes without any work in the route.</li>
     * <li>An event (or full event JSON) whose type differs from a given {@code tag} is re-emitted under that tag with
     * the same subject and data, caused by the original.</li>
     * </ul>
     */
    public static Event fromExchange(Exchange exchange, EventCodec codec, String tag) {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        if (body != null && !(body instanceof Event) && !(body instanceof Map)) {
            // JSON text or bytes: a JSON object is handled like a map (a full event, or the data of a new one)
            byte[] bytes = exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, body);
            if (bytes == null) {
                throw new InvalidEventException("a body of type " + body.getClass().getName()
                                                + " is not an event, a map or JSON");
            }
            codec.checkSize(bytes.length);
            body = EventCodec.readObject(bytes, "the body");
        }
        Event event;
        if (body instanceof Event) {
            event = (Event) body;
        } else if (body instanceof Map && !((Map<?, ?>) body).containsKey(Event.TYPE)) {
            String newTag = tag != null ? tag : in.getHeader(EventHeaders.TYPE, String.class);
            if (newTag == null) {
                throw new InvalidEventException("the body is data without a type: name the tag in the endpoint "
                                                + "(bus:my/tag) or set the header " + EventHeaders.TYPE);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) body;
            Event created = Event.builder(newTag)
                    .subject(in.getHeader(EventHeaders.SUBJECT, String.class))
                    .causationId(in.getHeader(EventHeaders.ID, String.class))
                    .data(data)
                    .build();
            codec.checkSize(created.toJson().length);
            return created;
        } else if (body instanceof Map) {
            event = codec.fromMap((Map<?, ?>) body);
        } else {
            throw new InvalidEventException("the message body is empty: nothing to publish");
        }
        if (tag != null && !tag.equals(event.type())) {
            return Event.builder(tag).subject(event.subject()).causedBy(event).data(event.data()).build();
        }
        return event;
    }
}
