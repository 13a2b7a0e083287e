package io.backplane.core;

import java.util.ArrayList;
import java.util.List;

/** Splitting and checking slash-separated tags. */
public final class Tags {

    private Tags() {
    }

    /** Splits a tag or glob into segments, refusing empty segments and whitespace. */
    static String[] split(String tag, String what) {
        if (tag == null || tag.isEmpty()) {
            throw new InvalidEventException(what + " is empty");
        }
        List<String> out = new ArrayList<>(8);
        int start = 0;
        int n = tag.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || tag.charAt(i) == '/') {
                if (i == start) {
                    throw new InvalidEventException(what + " has an empty segment");
                }
                out.add(tag.substring(start, i));
                start = i + 1;
            } else if (tag.charAt(i) <= ' ') {
                throw new InvalidEventException(what + " contains whitespace or a control character");
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * Checks that a tag is usable as an event type: non-empty slash segments, no whitespace or control characters,
     * no wildcards. One pass, no allocation: it runs for every event that enters.
     */
    public static String requireTag(String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new InvalidEventException("tag (type) is empty");
        }
        int n = tag.length();
        char previous = '/';
        for (int i = 0; i < n; i++) {
            char c = tag.charAt(i);
            if (c == '/' && previous == '/') {
                throw new InvalidEventException("tag '" + tag + "' has an empty segment");
            }
            if (c <= ' ') {
                throw new InvalidEventException("tag '" + tag + "' contains whitespace or a control character");
            }
            if (c == '*') {
                throw new InvalidEventException("tag '" + tag + "' contains '*': wildcards belong in globs, not in tags");
            }
            previous = c;
        }
        if (previous == '/') {
            throw new InvalidEventException("tag '" + tag + "' has an empty segment");
        }
        return tag;
    }

    /**
     * Turns any value (an alert name, a host name, a mount point) into one safe tag segment: slashes, wildcards,
     * whitespace and control characters become {@code _}; an empty or null value becomes {@code _}. Sources use it so
     * that a value from outside can never add segments to a tag or break a glob.
     */
    public static String segment(String value) {
        if (value == null || value.isEmpty()) {
            return "_";
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '*' || c <= ' ' || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(value.length()).append(value, 0, i);
                }
                out.append('_');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }
}
