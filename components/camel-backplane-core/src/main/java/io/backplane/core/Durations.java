package io.backplane.core;

import java.time.Duration;

import org.apache.camel.util.TimeUtils;

/** Durations as options take them: 5m, 30s, 1h30m, 500ms, ISO-8601 (PT5M) or plain milliseconds. */
public final class Durations {

    private Durations() {
    }

    public static long parse(String text, String what) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.startsWith("P") || t.startsWith("-P")) {
                return Duration.parse(t).toMillis();
            }
            if (!t.isEmpty() && t.chars().anyMatch(Character::isDigit)) {
                return TimeUtils.toMilliSeconds(t);
            }
        } catch (RuntimeException e) {
            // reported below, with the option's name
        }
        throw new IllegalArgumentException(what + " '" + text + "' is not a duration (e.g. 5m, 30s, 1h30m, 500ms, "
                                           + "PT5M or a number of milliseconds)");
    }
}
