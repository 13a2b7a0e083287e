package io.backplane.rules.test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Subset matching of what a case expects against what a rule sent, and showing values in reports. */
final class Matching {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Matching() {
    }

    /**
     * True if {@code actual} contains {@code expected}: every key of an expected map is in the actual map with a
     * matching value (other keys are ignored); lists match element by element and have the same length; numbers
     * match by value (1 = 1.0); anything else by equality, or by text when one side is text.
     */
    static boolean contains(Object actual, Object expected) {
        if (expected == null) {
            return actual == null;
        }
        if (expected instanceof Map<?, ?> e) {
            if (!(actual instanceof Map<?, ?> a)) {
                return false;
            }
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                if (!a.containsKey(entry.getKey()) || !contains(a.get(entry.getKey()), entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof List<?> e) {
            if (!(actual instanceof List<?> a) || a.size() != e.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!contains(a.get(i), e.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof Number e && actual instanceof Number a) {
            return new BigDecimal(e.toString()).compareTo(new BigDecimal(a.toString())) == 0;
        }
        if (expected.equals(actual)) {
            return true;
        }
        return (expected instanceof String || actual instanceof String) && !(actual instanceof Map)
               && !(actual instanceof List) && expected.toString().equals(String.valueOf(actual));
    }

    /** A value as compact JSON (text as is), cut at 300 characters. */
    static String show(Object value) {
        String s;
        if (value instanceof String str) {
            s = str;
        } else {
            try {
                s = JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                s = String.valueOf(value);
            }
        }
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
