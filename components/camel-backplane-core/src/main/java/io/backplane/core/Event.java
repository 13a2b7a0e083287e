package io.backplane.core;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * One Backplane event: a CloudEvents 1.0 envelope whose {@code type} is a slash tag and whose {@code data} is a
 * JSON object. It is a read-only {@link Map} of the attributes (nested maps and lists are read-only too), so
 * jsonpath, {@code ${body[data][load]}} and Java code read it directly, and one parsed instance can be handed to
 * every route that wants it. The JSON it came from (or was first written as) is kept, so putting an unchanged event
 * back on the wire costs no serialisation.
 * <p>
 * Build new events with {@link #builder(String)}; parse with {@link EventCodec}.
 */
public final class Event extends AbstractMap<String, Object> {

    public static final String SPECVERSION = "specversion";
    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String TYPE = "type";
    public static final String SUBJECT = "subject";
    public static final String TIME = "time";
    public static final String DATACONTENTTYPE = "datacontenttype";
    public static final String DATASCHEMA = "dataschema";
    public static final String DATA = "data";
    public static final String CAUSATIONID = "causationid";

    private final Map<String, Object> attributes;
    private volatile byte[] json;

    Event(Map<String, Object> frozenAttributes, byte[] json) {
        this.attributes = frozenAttributes;
        this.json = json;
    }

    public static EventBuilder builder(String tag) {
        return new EventBuilder(tag);
    }

    public String id() {
        return (String) attributes.get(ID);
    }

    public String source() {
        return (String) attributes.get(SOURCE);
    }

    /** The tag, e.g. {@code monitor/alertmanager/HighLoad/firing}. */
    public String type() {
        return (String) attributes.get(TYPE);
    }

    public String subject() {
        return (String) attributes.get(SUBJECT);
    }

    public String time() {
        return (String) attributes.get(TIME);
    }

    public String causationId() {
        return (String) attributes.get(CAUSATIONID);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> data() {
        return (Map<String, Object>) attributes.get(DATA);
    }

    /** The structured-mode JSON of this event; the same array every call, which callers must not modify. */
    public byte[] toJson() {
        byte[] j = json;
        if (j == null) {
            j = EventCodec.writeJson(attributes);
            json = j;
        }
        return j;
    }

    @Override
    public Object get(Object key) {
        return attributes.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return attributes.containsKey(key);
    }

    @Override
    public int size() {
        return attributes.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return attributes.entrySet();
    }

    @Override
    public String toString() {
        return new String(toJson(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
