package io.backplane.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.Converter;

/** Lets any Camel edge turn JSON into an {@link Event} and back, with the default size limit. */
@Converter(generateLoader = true)
public final class EventConverters {

    private EventConverters() {
    }

    @Converter
    public static Event toEvent(byte[] json) {
        return EventCodec.defaults().parse(json);
    }

    @Converter
    public static Event toEvent(String json) {
        return EventCodec.defaults().parse(json);
    }

    @Converter
    public static Event toEvent(InputStream in) throws IOException {
        // read at most one byte past the limit, so an endless stream cannot exhaust memory
        byte[] bytes = in.readNBytes(EventCodec.defaults().maxBytes() + 1);
        return EventCodec.defaults().parse(bytes);
    }

    @Converter
    public static Event toEvent(Map<?, ?> map) {
        return EventCodec.defaults().fromMap(map);
    }

    @Converter
    public static byte[] toBytes(Event event) {
        return event.toJson();
    }

    /** So that {@code to: http:...} and other stream-based producers send the event's JSON as it is. */
    @Converter
    public static InputStream toInputStream(Event event) {
        return new ByteArrayInputStream(event.toJson());
    }

    @Converter
    public static String toString(Event event) {
        return new String(event.toJson(), StandardCharsets.UTF_8);
    }
}
