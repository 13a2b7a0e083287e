package io.backplane.component.register;

import java.time.Duration;
import java.util.Objects;

/**
 * The shape of a register: its window and its memory bounds. Every endpoint that updates one register must give the
 * same shape (the first one creates the register; a different shape later is refused), so that what a rule reads
 * never depends on which route happened to start first.
 */
public final class RegisterSettings {

    public static final int DEFAULT_MAX_SAMPLES = 1_000;
    public static final int DEFAULT_MAX_KEYS = 10_000;
    public static final int DEFAULT_MAX_KEY_LENGTH = 256;
    public static final double DEFAULT_ALPHA = 0.3;

    private final long windowNanos;
    private final int size;
    private final int maxSamples;
    private final int maxKeys;
    private final long idleTimeoutNanos;
    private final boolean eventTime;
    private final double alpha;
    private final int maxKeyLength;

    /**
     * @param window      time window (zero: none)
     * @param size        count window, samples per key (0: none)
     * @param maxSamples  most samples kept per key, whatever the window
     * @param maxKeys     most keys; beyond it the least recently updated key is evicted
     * @param idleTimeout keys not updated for this long are evicted; zero: the time window, or never for a count
     *                    window
     * @param eventTime   true: samples are timed by the event's {@code time}; false: by arrival (the clock)
     * @param alpha       EWMA smoothing factor in (0, 1]
     * @param maxKeyLength longest key accepted, in characters
     */
    public RegisterSettings(Duration window, int size, int maxSamples, int maxKeys, Duration idleTimeout,
                            boolean eventTime, double alpha, int maxKeyLength) {
        if (window == null || window.isNegative()) {
            throw new IllegalArgumentException("window must be a positive duration such as 5m, 6h or 30s");
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must be a positive duration such as 1h (or 0: the window)");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be at least 1 (samples per key), not " + size);
        }
        if (window.isZero() && size == 0) {
            throw new IllegalArgumentException("a register needs a window: by time (window=5m) or by count "
                                               + "(size=100), or both");
        }
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be at least 1, not " + maxSamples);
        }
        if (size > maxSamples) {
            throw new IllegalArgumentException("size=" + size + " is more than maxSamples=" + maxSamples
                                               + ": raise maxSamples (memory: 24 bytes per sample per key) or "
                                               + "lower size");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, not " + maxKeys);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha (EWMA smoothing) must be in (0, 1], not " + alpha);
        }
        if (maxKeyLength < 1) {
            throw new IllegalArgumentException("maxKeyLength must be at least 1, not " + maxKeyLength);
        }
        this.windowNanos = window.toNanos();
        this.size = size;
        this.maxSamples = maxSamples;
        this.maxKeys = maxKeys;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.eventTime = eventTime;
        this.alpha = alpha;
        this.maxKeyLength = maxKeyLength;
    }

    /** A count window of {@code size} samples with the other settings at their defaults. */
    public static RegisterSettings count(int size) {
        return new RegisterSettings(Duration.ZERO, size, Math.max(size, DEFAULT_MAX_SAMPLES), DEFAULT_MAX_KEYS,
                Duration.ZERO, false, DEFAULT_ALPHA, DEFAULT_MAX_KEY_LENGTH);
    }

    /** A time window with the other settings at their defaults. */
    public static RegisterSettings time(Duration window) {
        return new RegisterSettings(window, 0, DEFAULT_MAX_SAMPLES, DEFAULT_MAX_KEYS, Duration.ZERO, false,
                DEFAULT_ALPHA, DEFAULT_MAX_KEY_LENGTH);
    }

    public long windowNanos() {
        return windowNanos;
    }

    public int size() {
        return size;
    }

    public int maxSamples() {
        return maxSamples;
    }

    /** Most samples a key holds: the count window, else maxSamples. */
    public int limit() {
        return size > 0 ? size : maxSamples;
    }

    public int maxKeys() {
        return maxKeys;
    }

    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** The idle timeout in force: the option, else the time window, else 0 (never). */
    public long effectiveIdleNanos() {
        return idleTimeoutNanos > 0 ? idleTimeoutNanos : windowNanos;
    }

    public boolean eventTime() {
        return eventTime;
    }

    public double alpha() {
        return alpha;
    }

    public int maxKeyLength() {
        return maxKeyLength;
    }

    /** Like the options, for error messages. */
    public String describe() {
        return "window=" + Duration.ofNanos(windowNanos) + ", size=" + size + ", maxSamples=" + maxSamples
               + ", maxKeys=" + maxKeys + ", idleTimeout=" + Duration.ofNanos(idleTimeoutNanos) + ", timestamp="
               + (eventTime ? "event" : "arrival") + ", alpha=" + alpha + ", maxKeyLength=" + maxKeyLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisterSettings s && s.windowNanos == windowNanos && s.size == size
               && s.maxSamples == maxSamples && s.maxKeys == maxKeys && s.idleTimeoutNanos == idleTimeoutNanos
               && s.eventTime == eventTime && Double.compare(s.alpha, alpha) == 0 && s.maxKeyLength == maxKeyLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowNanos, size, maxSamples, maxKeys, idleTimeoutNanos, eventTime, alpha, maxKeyLength);
    }

    @Override
    public String toString() {
        return describe();
    }
}
