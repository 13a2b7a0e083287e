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
}
