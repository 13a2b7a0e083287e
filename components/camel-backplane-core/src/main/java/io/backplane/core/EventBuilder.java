package io.backplane.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Builds a new {@link Event}; {@code id}, {@code time} and {@code source} get sensible defaults. */
public final class EventBuilder {

    public static final String DEFAULT_SOURCE = "backplane";

    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private Map<String, Object> data = Map.of();

    EventBuilder(String tag) {
        attributes.put(Event.SPECVERSION, "1.0");
        attributes.put(Event.ID, newId());
        attributes.put(Event.SOURCE, DEFAULT_SOURCE);
        attributes.put(Event.TYPE, Tags.requireTag(tag));
    }

    public EventBuilder id(String id) {
        return put(Event.ID, id);
    }

    public EventBuilder source(String source) {
        return put(Event.SOURCE, source);
    }

    public EventBuilder subject(String subject) {
        return put(Event.SUBJECT, subject);
    }

    public EventBuilder time(String rfc3339) {
        return put(Event.TIME, rfc3339);
    }

    /** Marks the new event as caused by another (its id goes into the {@code causationid} extension). */
    public EventBuilder causedBy(Event cause) {
        return cause == null ? this : put(Event.CAUSATIONID, cause.id());
    }

    public EventBuilder causationId(String id) {
        return put(Event.CAUSATIONID, id);
    }

    public EventBuilder data(Map<String, ?> data) {
        this.data = data == null ? Map.of() : new LinkedHashMap<>(data);
        return this;
    }

    /** An extension attribute (lower-case letters and digits, as CloudEvents requires). */
    public EventBuilder extension(String name, Object value) {
        return put(name, value);
    }

    private EventBuilder put(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
        return this;
    }

    public Event build() {
        attributes.putIfAbsent(Event.TIME, Instant.now().toString());
        Map<String, Object> all = new LinkedHashMap<>(attributes);
        all.put(Event.DATACONTENTTYPE, "application/json");
        all.put(Event.DATA, data);
        return EventCodec.validateAndFreeze(all, null, true);
    }

    /** A random (version 4) UUID without the cost and contention of SecureRandom. */
    static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
