package io.backplane.component.dedupe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.backplane.core.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory of one dedupe name, shared by every endpoint with that name. All methods lock the state; events of
 * one name are decided one at a time.
 */
final class DedupeState {

    private static final Logger LOG = LoggerFactory.getLogger(DedupeState.class);

    /** The outcome for one event. */
    record Decision(boolean pass, int count) {
    }

    /** A debounced key: its latest event and when it is due. */
    static final class Pending {
        final String key;
        final long first;
        Event event;
        int count;
        long deadline;
        long seq;

        Pending(String key, long first) {
            this.key = key;
            this.first = first;
        }
    }

    /** Timestamps (ms) of a key's recent events or firings, oldest first, at most {@code capacity}. */
    static final class Ring {
        private final long[] times;
        private int start;
        private int size;
        int seen;

        Ring(int capacity) {
            times = new long[capacity];
        }

        void dropOlderThan(long limit) {
            while (size > 0 && times[start] <= limit) {
                start = (start + 1) % times.length;
                size--;
            }
        }

        void add(long t) {
            if (size == times.length) {
                start = (start + 1) % times.length;
                size--;
            }
            times[(start + size) % times.length] = t;
            size++;
        }

        int size() {
            return size;
        }
    }

    final String name;
    final DedupeMode mode;
    final long window;
    final int threshold;
    final long maxDelay;
    final int maxKeys;
    final String settings;

    private final WindowMap<Ring> windows;
    private final Map<String, Pending> pending = new HashMap<>();
    private final TreeSet<Pending> byDeadline = new TreeSet<>(
            Comparator.<Pending> comparingLong(p -> p.deadline).thenComparingLong(p -> p.seq));
    private long seq;
    private long passed;
    private long suppressed;
    private long emitted;
    private long dropped;
    private long debounceEvictions;
    private long missingKey;
    private boolean warnedEviction;
    int users;

    DedupeState(String name, DedupeMode mode, long window, int threshold, long maxDelay, int maxKeys) {
        this.name = name;
        this.mode = mode;
        this.window = window;
        this.threshold = threshold;
        this.maxDelay = maxDelay;
        this.maxKeys = maxKeys;
        this.settings = "mode=" + mode + " window=" + window + "ms" + (threshold > 0 ? " count/limit=" + threshold : "")
                        + (maxDelay > 0 ? " maxDelay=" + maxDelay + "ms" : "") + " maxKeys=" + maxKeys;
        this.windows = new WindowMap<>(maxKeys);
    }

    synchronized Decision offer(String key, Event event, long now) {
        Decision d = switch (mode) {
            case once -> once(key, now);
            case count -> count(key, now);
            case rate -> rate(key, now);
            case debounce -> debounce(key, event, now);
        };
        if (d.pass) {
            passed++;
        } else {
            suppressed++;
        }
        return d;
    }

    private Decision once(String key, long now) {
        Ring r = windows.get(key, now);
        if (r == null) {
            r = new Ring(0);
            r.seen = 1;
            // the window runs from the event that passed, so the key is not re-inserted by the suppressed ones
            put(key, r, now);
            return new Decision(true, 1);
        }
        r.seen++;
        return new Decision(false, r.seen);
    }

    private Decision count(String key, long now) {
        Ring r = windows.get(key, now);
        if (r == null) {
            r = new Ring(threshold);
        }
        r.dropOlderThan(now - window);
        r.add(now);
        if (r.size() >= threshold) {
            // fired: the next firing needs count new events
            windows.remove(key);
            return new Decision(true, threshold);
        }
        put(key, r, now);
        return new Decision(false, r.size());
    }

    private Decision rate(String key, long now) {
        Ring r = windows.get(key, now);
        if (r == null) {
            r = new Ring(threshold);
        } else {
            r.dropOlderThan(now - window);
        }
        if (r.size() < threshold) {
            r.add(now);
            // kept until its newest firing leaves the window
            put(key, r, now);
            return new Decision(true, r.size());
        }
        return new Decision(false, r.size());
    }

    private void put(String key, Ring r, long now) {
        long before = windows.evictions();
        windows.put(key, r, now + window, now);
        if (windows.evictions() != before) {
            warnEviction();
        }
    }

    private Decision debounce(String key, Event event, long now) {
        Pending p = pending.get(key);
        if (p == null) {
            if (pending.size() >= maxKeys) {
                // full: drop the key closest to its emission rather than grow without bound
                Pending evicted = byDeadline.pollFirst();
                pending.remove(evicted.key);
                debounceEvictions++;
                warnEviction();
            }
            p = new Pending(key, now);
            pending.put(key, p);
        } else {
            byDeadline.remove(p);
        }
        p.event = event;
        p.count++;
        p.deadline = maxDelay > 0 ? Math.min(now + window, p.first + maxDelay) : now + window;
        p.seq = ++seq;
        byDeadline.add(p);
        return new Decision(false, p.count);
    }

    private void warnEviction() {
        if (!warnedEviction) {
            warnedEviction = true;
            LOG.warn("dedupe:{} holds maxKeys={} keys: evicting (counted in its stats; raise maxKeys or use a "
                     + "coarser key)", name, maxKeys);
        }
    }

    /** Removes expired keys and returns the debounced events that are due, in deadline order. */
    synchronized List<Pending> tick(long now) {
        windows.purge(now);
        if (byDeadline.isEmpty() || byDeadline.first().deadline > now) {
            return List.of();
        }
        List<Pending> due = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.first().deadline <= now) {
            Pending p = byDeadline.pollFirst();
            pending.remove(p.key);
            due.add(p);
        }
        return due;
    }

    synchronized void countEmitted(boolean delivered) {
        if (delivered) {
            emitted++;
        } else {
            dropped++;
        }
    }

    synchronized void countMissingKey() {
        missingKey++;
    }

    synchronized DedupeStats stats() {
        return new DedupeStats(passed, suppressed, emitted, dropped, windows.evictions() + debounceEvictions,
                missingKey, windows.size() + pending.size());
    }
}
