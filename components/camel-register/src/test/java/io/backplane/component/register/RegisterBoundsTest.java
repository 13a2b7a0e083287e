package io.backplane.component.register;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Memory bounds (maxKeys, idle eviction, maxSamples) and time faults (clocks going backwards, late events). */
class RegisterBoundsTest {

    private static final int OPS = RegisterOp.COUNT.bit() | RegisterOp.MEAN.bit() | RegisterOp.P95.bit()
                                   | RegisterOp.SLOPE.bit();

    private final TestClock clock = new TestClock();
    private final double[] out = new double[RegisterOp.size()];

    private static RegisterSettings settings(Duration window, int size, int maxKeys, Duration idle, boolean eventTime) {
        return new RegisterSettings(window, size, 1000, maxKeys, idle, eventTime, 0.3, 256);
    }

    @Test
    void newKeysBeyondMaxKeysEvictTheLeastRecentlyUpdatedAndReadsDoNotCount() {
        Register r = new Register("t", settings(Duration.ZERO, 10, 3, Duration.ZERO, false), clock);
        r.update("a", 1, 0, OPS, out);
        r.update("b", 1, 0, OPS, out);
        r.update("c", 1, 0, OPS, out);
        r.update("a", 2, 0, OPS, out); // a is now the most recent; b the least
        r.read("b", 0, OPS, out); // a read is not an update
        r.update("d", 1, 0, OPS, out);
        assertThat(r.contains("b")).isFalse();
        assertThat(r.contains("a")).isTrue();
        assertThat(r.contains("c")).isTrue();
        assertThat(r.contains("d")).isTrue();
        assertThat(r.keyCount()).isEqualTo(3);
        assertThat(r.stats().evictions()).isEqualTo(1);
        // an evicted key comes back empty
        r.update("b", 7, 0, OPS, out);
        assertThat(out[RegisterOp.COUNT.ordinal()]).isEqualTo(1);
        assertThat(r.contains("c")).isFalse();
        assertThat(r.stats().evictions()).isEqualTo(2);
    }

    @Test
    void aMillionDistinctKeysNeverHoldMoreThanMaxKeys() {
        Register r = new Register("t", settings(Duration.ofMinutes(5), 0, 1000, Duration.ZERO, false), clock);
        for (int i = 0; i < 1_000_000; i++) {
            r.update("host-" + i, i % 100, 0, OPS, out);
            if (i % 10_000 == 0) {
                assertThat(r.keyCount()).isLessThanOrEqualTo(1000);
            }
        }
        RegisterStats stats = r.stats();
        assertThat(stats.keys()).isEqualTo(1000);
        assertThat(stats.evictions()).isEqualTo(1_000_000 - 1000);
        assertThat(stats.updates()).isEqualTo(1_000_000);
        // one sample per key: about 400 bytes per key with its arrays (8 slots), so well under a megabyte
        assertThat(r.approxBytes()).isLessThan(1_000_000);
        // the survivors are the last thousand
        assertThat(r.contains("host-999999")).isTrue();
        assertThat(r.contains("host-998999")).isFalse();
    }

    @Test
    void keysIdleForTheTimeoutAreEvictedBySweepAndByTheNextUpdate() {
        Register r = new Register("t", settings(Duration.ZERO, 10, 100, Duration.ofSeconds(30), false), clock);
        r.update("a", 1, 0, OPS, out);
        clock.advanceSeconds(20);
        r.update("b", 1, 0, OPS, out);
        clock.advanceSeconds(10); // a idle 30 s, b 10 s
        assertThat(r.sweep()).isEqualTo(1);
        assertThat(r.contains("a")).isFalse();
        assertThat(r.contains("b")).isTrue();
        clock.advanceSeconds(25);
        r.update("c", 1, 0, OPS, out); // b is idle 35 s: evicted on the way
        assertThat(r.contains("b")).isFalse();
        assertThat(r.stats().idleEvictions()).isEqualTo(2);
        assertThat(r.stats().evictions()).isZero();
    }

    @Test
    void withoutIdleTimeoutATimeWindowedKeyIsEvictedAfterAWholeWindowWithoutUpdates() {
        Register r = new Register("t", settings(Duration.ofSeconds(60), 0, 100, Duration.ZERO, false), clock);
        r.update("a", 1, 0, OPS, out);
        clock.advanceSeconds(59);
        assertThat(r.sweep()).isZero();
        clock.advanceSeconds(1);
        assertThat(r.sweep()).isEqualTo(1);

        Register counted = new Register("c", settings(Duration.ZERO, 10, 100, Duration.ZERO, false), clock);
        counted.update("a", 1, 0, OPS, out);
        clock.advanceSeconds(365 * 86_400);
        assertThat(counted.sweep()).as("count windows without idleTimeout keep their keys").isZero();
    }

    @Test
    void anArrivalClockGoingBackwardsNeverMovesTheWindowBack() {
        Register r = new Register("t", settings(Duration.ofSeconds(60), 0, 100, Duration.ofHours(1), false), clock);
        clock.setSeconds(1000);
        r.update("k", 10, 0, OPS, out);
        clock.setSeconds(1010);
        r.update("k", 20, 0, OPS, out);
        clock.setSeconds(990); // 20 s back
        assertThat(r.update("k", 30, 0, OPS, out)).isTrue();
        // accepted at the newest time (1010): counted as late, the mean includes it
        assertThat(out[RegisterOp.COUNT.ordinal()]).isEqualTo(3);
        assertThat(out[RegisterOp.MEAN.ordinal()]).isEqualTo(20);
        assertThat(r.stats().lateSamples()).isEqualTo(1);
        // the slope is over x = 0, 10, 10: not over a sample at -10 s
        assertThat(out[RegisterOp.SLOPE.ordinal()]).isCloseTo(1.5, within(1e-9));
        // the window still ends at 1010: at 1065 the sample of 1000 has left, the two of 1010 stay
        clock.setSeconds(1065);
        r.update("k", 40, 0, OPS, out);
        assertThat(out[RegisterOp.COUNT.ordinal()]).isEqualTo(3);
        assertThat(out[RegisterOp.MEAN.ordinal()]).isEqualTo(30);
    }

    @Test
    void eventTimeLateSamplesAreKeptAtTheNewestTimeAndTooOldOnesAreDropped() {
        Register r = new Register("t", settings(Duration.ofMinutes(10), 0, 100, Duration.ZERO, true), clock);
        long base = 1_700_000_000L * 1_000_000_000L;
        long minute = 60_000_000_000L;
        assertThat(r.updateAt("k", 10, base, 0, OPS, out)).isTrue();
        assertThat(r.updateAt("k", 20, base + 5 * minute, 0, OPS, out)).isTrue();
        // 2 minutes late but inside the window: kept (at the newest time)
        assertThat(r.updateAt("k", 30, base + 3 * minute, 0, OPS, out)).isTrue();
        assertThat(out[RegisterOp.COUNT.ordinal()]).isEqualTo(3);
        // older than newest - window: dropped, results of the window as it is
        assertThat(r.updateAt("k", 99, base - 6 * minute, 0, OPS, out)).isFalse();
        assertThat(out[RegisterOp.COUNT.ordinal()]).isEqualTo(3);
        assertThat(out[RegisterOp.MEAN.ordinal()]).isEqualTo(20);
        RegisterStats stats = r.stats();
        assertThat(stats.lateSamples()).isEqualTo(2);
        assertThat(stats.tooOldSamples()).isEqualTo(1);
        // event time ignores the arrival clock for the window: a read later still sees the samples (the idle
        // timeout, by default the window, is on the arrival clock: 5 minutes is not idle yet)
        clock.advanceSeconds(300);
        r.read("k", 0, OPS, out);
        assertThat(out[RegisterOp.COUNT.ordinal()]).isEqualTo(3);
    }

    @Test
    void nonFiniteValuesAreRefusedByTheRegisterItself() {
        Register r = new Register("t", RegisterSettings.count(5), clock);
        assertThatThrownBy(() -> r.update("k", Double.NaN, 0, OPS, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a finite number");
        assertThatThrownBy(() -> r.update("k", Double.POSITIVE_INFINITY, 0, OPS, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.update("k", 1, 0, OPS, new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("results array");
    }

    @Test
    void settingsAreCheckedWithClearMessages() {
        assertThatThrownBy(() -> settings(Duration.ZERO, 0, 10, Duration.ZERO, false))
                .hasMessageContaining("needs a window");
        assertThatThrownBy(() -> new RegisterSettings(Duration.ZERO, 2000, 1000, 10, Duration.ZERO, false, 0.3, 256))
                .hasMessageContaining("size=2000 is more than maxSamples=1000");
        assertThatThrownBy(() -> new RegisterSettings(Duration.ZERO, 10, 1000, 0, Duration.ZERO, false, 0.3, 256))
                .hasMessageContaining("maxKeys must be at least 1");
        assertThatThrownBy(() -> new RegisterSettings(Duration.ZERO, 10, 1000, 10, Duration.ZERO, false, 0, 256))
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> new RegisterSettings(Duration.ZERO, 10, 1000, 10, Duration.ZERO, false, 1.5, 256))
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> new RegisterSettings(Duration.ofSeconds(-1), 10, 1000, 10, Duration.ZERO, false,
                0.3, 256)).hasMessageContaining("window must be a positive duration");
        assertThatThrownBy(() -> new RegisterSettings(Duration.ZERO, -1, 1000, 10, Duration.ZERO, false, 0.3, 256))
                .hasMessageContaining("size must be at least 1");
        assertThatThrownBy(() -> new RegisterSettings(Duration.ofMinutes(1), 0, 0, 10, Duration.ZERO, false, 0.3,
                256)).hasMessageContaining("maxSamples must be at least 1");
    }
}
