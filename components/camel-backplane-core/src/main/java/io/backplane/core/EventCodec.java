package io.backplane.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads and writes events as CloudEvents 1.0 structured JSON, checking the envelope once at the edge. Everything
 * that is not a valid event raises {@link InvalidEventException} with a message naming the problem.
 */
public final class EventCodec {

    /** 1 MiB, as Salt's max_event_size. */
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final EventCodec DEFAULT = new EventCodec(DEFAULT_MAX_BYTES);

    private final int maxBytes;

    public EventCodec(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public static EventCodec defaults() {
        return DEFAULT;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Parses one structured-mode event. */
    public Event parse(byte[] json) {
        if (json == null || json.length == 0) {
            throw new InvalidEventException("event is empty");
        }
        checkSize(json.length);
        Map<String, Object> attrs;
        try {
            attrs = readJsonObject(json, "event");
        } catch (IOException e) {
            throw malformed(e);
        }
        return validateAndFreeze(attrs, json, false);
    }

    /** One JSON object and nothing after it, read in one streaming pass (nested values already read-only). */
    private static Map<String, Object> readJsonObject(byte[] json, String what) throws IOException {
        try (JsonParser p = MAPPER.createParser(json)) {
            Map<String, Object> map = readRootObject(p, p.nextToken(), what);
            if (p.nextToken() != null) {
                throw new InvalidEventException("malformed JSON: trailing content after the " + what);
            }
            return map;
        }
    }

    /**
     * Reads a JSON object into a map whose nested maps and lists are already read-only, so the event needs no copy
     * afterwards (the root stays writable for validation to fill in defaults).
     */
    private static Map<String, Object> readRootObject(JsonParser p, JsonToken first, String what) throws IOException {
        if (first != JsonToken.START_OBJECT) {
            throw new InvalidEventException(what + " must be a JSON object, got " + tokenKind(first));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            map.put(name, readFrozen(p, p.nextToken()));
        }
        return map;
    }

    private static Object readFrozen(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT:
                return Collections.unmodifiableMap(readRootObject(p, t, "value"));
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readFrozen(p, e));
                }
                return Collections.unmodifiableList(list);
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new InvalidEventException("malformed JSON: unexpected " + t);
        }
    }

    private static String tokenKind(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        switch (t) {
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.toString();
        }
    }

    public Event parse(String json) {
        if (json == null) {
            throw new InvalidEventException("event is empty");
        }
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a batch (a JSON array of structured events), all or nothing: the first bad event rejects the whole
     * batch, and the message names its index, so an emitter can fix and resend it without creating duplicates.
     */
    public List<Event> parseBatch(byte[] json) {
        if (json == null || json.length == 0) {
            throw new InvalidEventException("batch is empty");
        }
        List<Event> out = new ArrayList<>();
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidEventException("batch must be a JSON array of events");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == null) {
                    throw new InvalidEventException("malformed JSON: batch array is not closed");
                }
                long start = p.currentTokenLocation().getByteOffset();
                int index = out.size();
                try {
                    Map<String, Object> attrs = readRootObject(p, p.currentToken(), "event");
                    checkSize(p.currentLocation().getByteOffset() - start);
                    out.add(validateAndFreeze(attrs, null, false));
                } catch (InvalidEventException e) {
                    throw new InvalidEventException("event " + index + " of the batch: " + e.getMessage(), e);
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidEventException("malformed JSON: trailing content after the batch array");
            }
        } catch (InvalidEventException e) {
            throw e;
        } catch (IOException e) {
            throw malformed(e);
        }
        if (out.isEmpty()) {
            throw new InvalidEventException("batch is empty");
        }
        return out;
    }

    /**
     * Makes an event from a map that may lack the attributes an emitter need not set ({@code specversion},
     * {@code id}, {@code source}, {@code time}); a route that builds its body as a map publishes through this.
     */
    public Event fromMap(Map<?, ?> map) {
        if (map instanceof Event) {
            return (Event) map;
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put(Event.SPECVERSION, "1.0");
        attrs.put(Event.ID, EventBuilder.newId());
        attrs.put(Event.SOURCE, EventBuilder.DEFAULT_SOURCE);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new InvalidEventException("attribute names must be strings, got " + e.getKey());
            }
            attrs.put((String) e.getKey(), e.getValue());
        }
        Event event = validateAndFreeze(attrs, null, true);
        checkSize(event.toJson().length);
        return event;
    }

    /**
     * Makes an event from attributes already split out (CloudEvents binary mode: ce-* headers plus a data object),
     * strictly: nothing is filled in for missing required attributes.
     */
    public Event fromAttributes(Map<String, Object> attributes) {
        Event event = validateAndFreeze(new LinkedHashMap<>(attributes), null, true);
        checkSize(event.toJson().length);
        return event;
    }

    /** Wraps plain JSON data (the simplest emitters' form) in a new event of the given tag. */
    public Event fromData(String tag, String subject, String source, byte[] dataJson) {
        if (dataJson == null || dataJson.length == 0) {
            throw new InvalidEventException("data is empty");
        }
        checkSize(dataJson.length);
        Map<String, Object> data;
        try {
            data = readJsonObject(dataJson, "data");
        } catch (IOException e) {
            throw malformed(e);
        }
        EventBuilder b = Event.builder(tag).data(data).subject(subject);
        if (source != null && !source.isEmpty()) {
            b.source(source);
        }
        Event event = b.build();
        checkSize(event.toJson().length);
        return event;
    }

    /** Reads any JSON object (data given on a command line, in a request body, in a route's body). */
    public static Map<String, Object> readObject(byte[] json, String what) {
        try {
            return readJsonObject(json, what);
        } catch (IOException e) {
            throw new InvalidEventException(what + " is not valid JSON: " + shortMessage(e), e);
        }
    }

    public static Map<String, Object> readObject(String json, String what) {
        return readObject(json.getBytes(StandardCharsets.UTF_8), what);
    }

    public void checkSize(long size) {
        if (size > maxBytes) {
            throw InvalidEventException.tooLarge("event", size, maxBytes);
        }
    }

    static byte[] writeJson(Map<String, Object> attributes) {
        try {
            return MAPPER.writeValueAsBytes(attributes);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("event cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes any value (a map, list, string...) as JSON. */
    public static byte[] toJsonBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** What a parsed JSON value is, for error messages: "an array", "a string", ... */
    public static String jsonKind(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof List) {
            return "an array";
        }
        if (o instanceof Map) {
            return "an object";
        }
        if (o instanceof String) {
            return "a string";
        }
        if (o instanceof Number) {
            return "a number";
        }
        if (o instanceof Boolean) {
            return "a boolean";
        }
        return o.getClass().getSimpleName();
    }

    private static InvalidEventException malformed(IOException e) {
        return new InvalidEventException("malformed JSON: " + shortMessage(e), e);
    }

    private static String shortMessage(IOException e) {
        if (e instanceof JsonProcessingException) {
            JsonProcessingException j = (JsonProcessingException) e;
            String msg = j.getOriginalMessage();
            if (j.getLocation() != null) {
                msg += " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
            }
            return msg;
        }
        return e.getMessage();
    }

    /**
     * Checks the CloudEvents envelope and the Backplane rules, then makes the map read-only all the way down:
     * by copying when it may hold the caller's maps ({@code copy}), by wrapping when the codec built it.
     */
    static Event validateAndFreeze(Map<String, Object> attrs, byte[] json, boolean copy) {
        Object specversion = attrs.get(Event.SPECVERSION);
        if (specversion == null) {
            throw new InvalidEventException("missing required attribute 'specversion'");
        }
        if (!"1.0".equals(specversion)) {
            throw new InvalidEventException("unsupported specversion '" + specversion + "': only \"1.0\" is accepted");
        }
        requireString(attrs, Event.ID);
        requireString(attrs, Event.SOURCE);
        Tags.requireTag(requireString(attrs, Event.TYPE));
        optionalString(attrs, Event.SUBJECT);
        optionalString(attrs, Event.CAUSATIONID);
        optionalString(attrs, Event.DATASCHEMA);
        String contentType = optionalString(attrs, Event.DATACONTENTTYPE);
        if (contentType != null && !isJson(contentType)) {
            throw new InvalidEventException("datacontenttype '" + contentType + "' is not JSON: data must be a JSON object");
        }
        if (attrs.containsKey("data_base64")) {
            throw new InvalidEventException("data_base64 is not accepted: data must be a JSON object");
        }
        String time = optionalString(attrs, Event.TIME);
        boolean changed = false;
        if (time == null) {
            attrs.put(Event.TIME, Instant.now().toString());
            changed = true;
        } else if (!Rfc3339.looksValid(time)) {
            throw new InvalidEventException("time '" + time + "' is not an RFC 3339 timestamp");
        }
        Object data = attrs.get(Event.DATA);
        if (data == null) {
            attrs.put(Event.DATA, Map.of());
            changed = true;
        } else if (!(data instanceof Map)) {
            throw new InvalidEventException("data must be a JSON object, got " + jsonKind(data));
        }
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
            String name = e.getKey();
            if (name.equals(Event.DATA)) {
                continue;
            }
            if (!validAttributeName(name)) {
                throw new InvalidEventException("attribute name '" + name
                                                + "' is not valid: CloudEvents allows lower-case letters and digits only");
            }
            Object v = e.getValue();
            if (v instanceof Map || v instanceof List) {
                throw new InvalidEventException("attribute '" + name + "' must be a string, number or boolean");
            }
        }
        return new Event(copy ? freezeMap(attrs) : Collections.unmodifiableMap(attrs), changed ? null : json);
    }

    private static boolean isJson(String contentType) {
        String ct = contentType.toLowerCase();
        int semi = ct.indexOf(';');
        if (semi >= 0) {
            ct = ct.substring(0, semi).trim();
        }
        return ct.equals("application/json") || ct.endsWith("+json") || ct.equals("text/json");
    }

    private static boolean validAttributeName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static String requireString(Map<String, Object> attrs, String name) {
        Object v = attrs.get(name);
        if (v == null) {
            throw new InvalidEventException("missing required attribute '" + name + "'");
        }
        if (!(v instanceof String) || ((String) v).isEmpty()) {
            throw new InvalidEventException("attribute '" + name + "' must be a non-empty string");
        }
        return (String) v;
    }

    private static String optionalString(Map<String, Object> attrs, String name) {
        Object v = attrs.get(name);
        if (v == null) {
            attrs.remove(name);
            return null;
        }
        if (!(v instanceof String) || ((String) v).isEmpty()) {
            throw new InvalidEventException("attribute '" + name + "' must be a non-empty string");
        }
        return (String) v;
    }

    @SuppressWarnings("unchecked")
    private static Object freeze(Object v) {
        if (v instanceof Map) {
            return freezeMap((Map<String, Object>) v);
        }
        if (v instanceof List) {
            List<Object> list = (List<Object>) v;
            List<Object> copy = new ArrayList<>(list.size());
            for (Object o : list) {
                copy.add(freeze(o));
            }
            return Collections.unmodifiableList(copy);
        }
        return v;
    }

    private static Map<String, Object> freezeMap(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
        for (Map.Entry<String, Object> e : map.entrySet()) {
            copy.put(e.getKey(), freeze(e.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }
}
