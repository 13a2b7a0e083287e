package io.backplane.component.beacon;

import java.util.List;
import java.util.Map;

/** Reads one metric of this host; kept apart from {@link BeaconFilter} so each can be tested on its own. */
interface MetricReader {

    /**
     * One value of a series.
     *
     * @param key     what the series is about within the metric: the mount point, the process name, or "" for
     *                host-wide metrics; each key has its own {@link BeaconFilter}
     * @param value   the value in the metric's unit
     * @param details fields added to the event's data (mount, sizes, load averages, process count ...)
     */
    record Reading(String key, double value, Map<String, Object> details) {
    }

    /**
     * Called when the consumer starts: checks that the metric can be read on this host and takes the first sample
     * where one is needed (CPU ticks). Throws IllegalArgumentException naming the metric (or mount) when not.
     */
    void start();

    /** Reads the current values (at least one reading). */
    List<Reading> read();
}
