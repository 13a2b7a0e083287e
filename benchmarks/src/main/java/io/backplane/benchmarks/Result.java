package io.backplane.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One scenario at one event size: printed as one JSON line. */
final class Result {

    final Map<String, Object> fields = new LinkedHashMap<>();

    Result(String name, int size) {
        fields.put("name", name);
        fields.put("size_bytes", size);
    }

    Result put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    Object get(String key) {
        return fields.get(key);
    }

    String name() {
        return (String) fields.get("name");
    }

    int size() {
        return (Integer) fields.get("size_bytes");
    }

    Double eventsPerSecond() {
        Object v = fields.get("events_per_s");
        return v instanceof Number ? ((Number) v).doubleValue() : null;
    }

    String toJson() {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(e.getKey()).append("\":");
            append(b, e.getValue());
        }
        return b.append('}').toString();
    }

    private static void append(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                b.append("null");
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                b.append((long) d);
            } else {
                b.append(String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", "").replaceAll("\\.$", ""));
            }
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else {
            String s = v.toString();
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            b.append('"');
        }
    }
}
