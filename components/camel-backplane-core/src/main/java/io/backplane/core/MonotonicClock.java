package io.backplane.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Wall-clock time that never goes backwards: anchored to the system clock once, then advanced by
 * {@link System#nanoTime()}. Windows and quiet periods measured with it are not stretched or cut short when NTP or
 * an operator steps the system clock.
 */
public final class MonotonicClock extends Clock {

    public static final MonotonicClock INSTANCE = new MonotonicClock();

    private final long baseMillis = System.currentTimeMillis();
    private final long baseNanos = System.nanoTime();

    private MonotonicClock() {
    }

    @Override
    public long millis() {
        return baseMillis + (System.nanoTime() - baseNanos) / 1_000_000L;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
