package io.backplane.component.alertmanager;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Remembers the last state emitted per alert so that the notifications Alertmanager resends every
 * {@code repeat_interval} (and the unchanged alerts it repeats whenever another alert of the group changes) are
 * dropped, while any change of state passes. Memory is bounded: at most {@code maxEntries} alerts, each forgotten
 * {@code expiryMillis} after it was last emitted (the oldest is dropped first when full).
 */
final class RepeatFilter {

    private record Seen(String state, long atNanos) {
    }

    private final int maxEntries;
    private final long expiryNanos;
    private final LongSupplier nanoClock;
    // insertion order = order of last emission, because admit() re-inserts: the eldest is always the first to expire
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

    RepeatFilter(int maxEntries, long expiryMillis, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.expiryNanos = expiryMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** True when the alert is to be emitted (first sight, or its state changed, or it expired); records it. */
    synchronized boolean admit(String key, String state) {
        long now = nanoClock.getAsLong();
        purgeExpired(now);
        Seen last = seen.get(key);
        if (last != null && last.state.equals(state)) {
            return false;
        }
        seen.remove(key);
        seen.put(key, new Seen(state, now));
        if (seen.size() > maxEntries) {
            Iterator<String> eldest = seen.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return true;
    }

    /**
     * Undoes {@link #admit} for an alert the route failed to process, so that the notification Alertmanager retries
     * is not taken for a repeat.
     */
    synchronized void forget(String key, String state) {
        Seen last = seen.get(key);
        if (last != null && last.state.equals(state)) {
            seen.remove(key);
        }
    }

    synchronized int size() {
        return seen.size();
    }

    private void purgeExpired(long now) {
        Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue().atNanos < expiryNanos) {
                return;
            }
            it.remove();
        }
    }
}
