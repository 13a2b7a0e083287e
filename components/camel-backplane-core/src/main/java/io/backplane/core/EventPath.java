package io.backplane.core;

import java.util.Map;

/**
 * A dotted path into an event compiled once: {@code subject}, {@code data.alert.name}, {@code data.labels.severity}.
 * Reading it is a few map lookups, no parsing or reflection per event: the one way templates, registers and rule
 * expressions read event fields.
 */
public final class EventPath {

    private final String text;
    private final String[] keys;

    private EventPath(String text, String[] keys) {
        this.text = text;
        this.keys = keys;
    }

    /** Compiles {@code data.a.b}; segments are non-empty and made of letters, digits, '_' and '-'. */
    public static EventPath compile(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("an event path is empty (expected e.g. data.service)");
        }
        String trimmed = path.trim();
        String[] keys = trimmed.split("\\.", -1);
        for (String key : keys) {
            if (key.isEmpty() || !key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                throw new IllegalArgumentException("'" + path + "' is not an event path like data.service");
            }
        }
        return new EventPath(trimmed, keys);
    }

    /** The value at this path, or null when any step is missing or not a map. */
    public Object read(Map<String, ?> event) {
        Object current = event;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    /** The value as a double, or NaN when missing or not a number (numeric strings are read too). */
    public double readDouble(Map<String, ?> event) {
        Object value = read(event);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException notNumeric) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    public String[] keys() {
        return keys.clone();
    }

    @Override
    public String toString() {
        return text;
    }
}
