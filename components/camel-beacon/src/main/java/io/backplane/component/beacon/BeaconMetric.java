package io.backplane.component.beacon;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a beacon measures: the path of its URI ({@code beacon:disk}). */
public enum BeaconMetric {

    /** The system load average (1, 5 or 15 minutes). */
    LOAD("load"),
    /** CPU busy time of all cores between two polls, in percent. */
    CPU("%"),
    /** Physical memory in use (total minus available), in percent. */
    MEMORY("%"),
    /** Swap in use, in percent (0 when the host has no swap). */
    SWAP("%"),
    /** Disk space in use per mount point, in percent (as df computes it). */
    DISK("%"),
    /** Number of running processes with a given name. */
    PROCESS("processes");

    private final String unit;

    BeaconMetric(String unit) {
        this.unit = unit;
    }

    /** The unit written into the event's {@code data.unit}. */
    public String unit() {
        return unit;
    }

    /** The name used in URIs, tags and {@code data.metric}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a URI path; the error lists the metrics there are. */
    public static BeaconMetric of(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("beacon: needs a metric, e.g. beacon:load; one of " + names());
        }
        for (BeaconMetric m : values()) {
            if (m.id().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown beacon metric '" + text + "': use one of " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(BeaconMetric::id).collect(Collectors.joining(", "));
    }
}
