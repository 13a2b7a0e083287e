package io.backplane.component.register;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A named register: per-key windows over a numeric value, with bounded memory. This is the object the
 * {@code register:} producer updates; Java code (and the benchmarks) may use it directly.
 * <p>
 * Bounds: at most {@code maxKeys} keys (a new key beyond it evicts the least recently updated one), keys not updated
 * for the idle timeout are evicted, and a key holds at most {@code limit} samples. One lock guards the register: an
 * update is a few hundred nanoseconds, far less than the rest of a route.
 * <p>
 * Time: {@link #update(String, double, double, int, double[])} times the sample by the clock (arrival, monotonic);
 * {@link #updateAt} by a given time (the event's). A sample older than its key's newest one is counted as late and
 * kept at the newest time, so the window never moves back; one older than the whole time window is dropped.
 */
public final class Register {

    private final String name;
    private final RegisterSettings settings;
    private final RegisterClock clock;
    private final Map<String, KeyWindow> keys = new HashMap<>();
    /** Least recently updated first. */
    private KeyWindow lruHead;
    private KeyWindow lruTail;

    private long updates;
    private long evictions;
    private long idleEvictions;
    private long lateSamples;
    private long tooOldSamples;
    private long overflowSamples;
    // counted outside the lock, by the producer, before the register is touched
    private final AtomicLong missingValues = new AtomicLong();
    private final AtomicLong nonNumericValues = new AtomicLong();
    private final AtomicLong missingKeys = new AtomicLong();
    private final AtomicLong invalidTimestamps = new AtomicLong();

    public Register(String name, RegisterSettings settings, RegisterClock clock) {
        this.name = name;
        this.settings = settings;
        this.clock = clock == null ? RegisterClock.SYSTEM : clock;
    }

    public String name() {
        return name;
    }

    public RegisterSettings settings() {
        return settings;
    }

    /**
     * Adds a sample timed by the clock and writes the results of {@code ops} (a {@link RegisterOp} mask) to
     * {@code out} (indexed by op ordinal, length {@link RegisterOp#size()}; NaN where there is no result).
     *
     * @return true when the sample was accepted (always, unless the clock went back by more than the window)
     */
    public boolean update(String key, double value, double threshold, int ops, double[] out) {
        return offer(key, value, 0, false, threshold, ops, out);
    }

    /** As {@link #update} with the sample timed by {@code timeNanos} (e.g. the event's time in epoch nanoseconds). */
    public boolean updateAt(String key, double value, long timeNanos, double threshold, int ops, double[] out) {
        return offer(key, value, timeNanos, true, threshold, ops, out);
    }

    private synchronized boolean offer(String key, double value, long time, boolean given, double threshold, int ops,
                                       double[] out) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("register " + name + ": value " + value + " is not a finite number");
        }
        long now = clock.nanos();
        long t = given ? time : now;
        updates++;
        sweepIdle(now);
        KeyWindow w = keys.get(key);
        if (w == null) {
            if (keys.size() >= settings.maxKeys()) {
                KeyWindow oldest = lruHead;
                unlink(oldest);
                keys.remove(oldest.key);
                evictions++;
            }
            w = new KeyWindow(key, settings.limit());
            keys.put(key, w);
            linkTail(w);
        } else if (w != lruTail) {
            unlink(w);
            linkTail(w);
        }
        w.lastUpdate = now;
        boolean accepted = true;
        if (w.newest != Long.MIN_VALUE && t < w.newest) {
            lateSamples++;
            long window = settings.windowNanos();
            if (window > 0 && t <= w.newest - window) {
                tooOldSamples++;
                accepted = false;
            } else {
                t = w.newest;
            }
        }
        if (accepted) {
            w.newest = t;
            // -0.0 and 0.0 are one value for the sorted copy's binary search
            if (w.add(value + 0.0, t, settings)) {
                overflowSamples++;
            }
        }
        fill(out, ops);
        w.results(ops, threshold, out);
        return accepted;
    }

    /**
     * Writes the results for a key without adding a sample; false (and count 0, sum 0) when the key is not held.
     * With arrival time, samples that have left the time window by now are dropped first. A read does not count as
     * an update for eviction.
     */
    public synchronized boolean read(String key, double threshold, int ops, double[] out) {
        long now = clock.nanos();
        sweepIdle(now);
        fill(out, ops);
        KeyWindow w = keys.get(key);
        if (w == null) {
            putEmpty(ops, out);
            return false;
        }
        if (!settings.eventTime() && settings.windowNanos() > 0) {
            w.expireUpTo(now - settings.windowNanos());
        }
        w.results(ops, threshold, out);
        return true;
    }

    private static void fill(double[] out, int ops) {
        if (out.length < RegisterOp.size()) {
            throw new IllegalArgumentException("results array needs length " + RegisterOp.size());
        }
        java.util.Arrays.fill(out, Double.NaN);
    }

    private static void putEmpty(int ops, double[] out) {
        if (RegisterOp.COUNT.in(ops)) {
            out[RegisterOp.COUNT.ordinal()] = 0;
        }
        if (RegisterOp.SUM.in(ops)) {
            out[RegisterOp.SUM.ordinal()] = 0;
        }
    }

    /** Evicts keys idle for longer than the idle timeout; cheap when there are none (one comparison). */
    public synchronized int sweep() {
        return sweepIdle(clock.nanos());
    }

    private int sweepIdle(long now) {
        long idle = settings.effectiveIdleNanos();
        if (idle <= 0) {
            return 0;
        }
        int removed = 0;
        while (lruHead != null && now - lruHead.lastUpdate >= idle) {
            KeyWindow w = lruHead;
            unlink(w);
            keys.remove(w.key);
            idleEvictions++;
            removed++;
        }
        return removed;
    }

    private void linkTail(KeyWindow w) {
        w.prev = lruTail;
        w.next = null;
        if (lruTail != null) {
            lruTail.next = w;
        } else {
            lruHead = w;
        }
        lruTail = w;
    }

    private void unlink(KeyWindow w) {
        if (w.prev != null) {
            w.prev.next = w.next;
        } else {
            lruHead = w.next;
        }
        if (w.next != null) {
            w.next.prev = w.prev;
        } else {
            lruTail = w.prev;
        }
        w.prev = null;
        w.next = null;
    }

    /** Removes every key (counters stay). */
    public synchronized void clear() {
        keys.clear();
        lruHead = null;
        lruTail = null;
    }

    public synchronized int keyCount() {
        return keys.size();
    }

    public synchronized boolean contains(String key) {
        return keys.containsKey(key);
    }

    /** Samples held now over all keys; walks every key. */
    public synchronized long sampleCount() {
        long n = 0;
        for (KeyWindow w : keys.values()) {
            n += w.count();
        }
        return n;
    }

    /** Approximate heap bytes held by the keys (state, arrays, key strings, map entries); walks every key. */
    public synchronized long approxBytes() {
        long n = 64;
        for (KeyWindow w : keys.values()) {
            n += w.bytes() + 48; // HashMap node and table slot
        }
        return n;
    }

    public synchronized RegisterStats stats() {
        return new RegisterStats(keys.size(), updates, evictions, idleEvictions, lateSamples, tooOldSamples,
                overflowSamples, missingValues.get(), nonNumericValues.get(), missingKeys.get(),
                invalidTimestamps.get());
    }

    /** Counts an event without the value; returns the count so far. */
    public long countMissingValue() {
        return missingValues.incrementAndGet();
    }

    public long countNonNumericValue() {
        return nonNumericValues.incrementAndGet();
    }

    public long countMissingKey() {
        return missingKeys.incrementAndGet();
    }

    public long countInvalidTimestamp() {
        return invalidTimestamps.incrementAndGet();
    }

    @Override
    public String toString() {
        return "register " + name + " (" + settings.describe() + ")";
    }
}
