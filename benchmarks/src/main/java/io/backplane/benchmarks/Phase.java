package io.backplane.benchmarks;

import java.util.Arrays;

/**
 * What one receiving thread saw during one phase of a run: how many events arrived, when the last one did, and the
 * latency of each (receipt time minus the stamp written at send). Exactly one thread records; others only read
 * {@link #count()}, whose volatile write publishes everything recorded before it.
 */
final class Phase {

    private final long[] latencies;
    private long lastNanos;
    private volatile long count;

    Phase(int capacity) {
        this.latencies = new long[Math.max(0, capacity)];
    }

    /** Called by the receiving thread for each event, with the event's send stamp ({@link Payload#now()} clock). */
    void record(long sentNanos) {
        long now = Payload.now();
        long c = count;
        if (c < latencies.length) {
            latencies[(int) c] = now - sentNanos;
        }
        lastNanos = now;
        count = c + 1;
    }

    /** For a phase timed by the caller itself (in-process scenarios): records a measured duration. */
    void recordDuration(long nanos, long endNanos) {
        long c = count;
        if (c < latencies.length) {
            latencies[(int) c] = nanos;
        }
        lastNanos = endNanos;
        count = c + 1;
    }

    long count() {
        return count;
    }

    /** Time of the last receipt; read it after {@link #count()}. */
    long lastNanos() {
        return lastNanos;
    }

    /** Latency percentiles in microseconds: {p50, p99, max}, or nulls when nothing was recorded. */
    Double[] percentilesMicros() {
        int n = (int) Math.min(count(), latencies.length);
        if (n == 0) {
            return new Double[] { null, null, null };
        }
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return new Double[] { micros(sorted[(int) Math.floor(0.50 * (n - 1))]),
                              micros(sorted[(int) Math.floor(0.99 * (n - 1))]), micros(sorted[n - 1]) };
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
