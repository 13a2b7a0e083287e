package io.backplane.component.register;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every operation against values computed by hand, on the register object itself with a hand-moved clock. */
class RegisterOpsTest {

    private static final int ALL = (1 << RegisterOp.size()) - 1;

    private final TestClock clock = new TestClock();
    private final double[] out = new double[RegisterOp.size()];

    private Register countRegister(int size) {
        return new Register("t", settings(Duration.ZERO, size, 1000, 10_000, Duration.ZERO, false, 0.5), clock);
    }

    private static RegisterSettings settings(Duration window, int size, int maxSamples, int maxKeys, Duration idle,
                                             boolean eventTime, double alpha) {
        return new RegisterSettings(window, size, maxSamples, maxKeys, idle, eventTime, alpha, 256);
    }

    private double get(RegisterOp op) {
        return out[op.ordinal()];
    }

    /** Adds samples one second apart (x = 0, 1, 2, ...). */
    private void feed(Register r, String key, double... values) {
        for (double v : values) {
            r.update(key, v, 100, ALL, out);
            clock.advanceSeconds(1);
        }
    }

    @Test
    void countSumMeanMinMaxAndPercentilesOnKnownData() {
        Register r = countRegister(100);
        // given out of order, so the sorted copy really sorts
        feed(r, "h", 40, 15, 50, 35, 20);
        assertThat(get(RegisterOp.COUNT)).isEqualTo(5);
        assertThat(get(RegisterOp.SUM)).isEqualTo(160);
        assertThat(get(RegisterOp.MEAN)).isEqualTo(32);
        assertThat(get(RegisterOp.MIN)).isEqualTo(15);
        assertThat(get(RegisterOp.MAX)).isEqualTo(50);
        // sorted 15 20 35 40 50; position q * (n - 1): p50 -> 2 -> 35; p95 -> 3.8 -> 40 + 0.8 * 10; p99 -> 3.96
        assertThat(get(RegisterOp.P50)).isEqualTo(35);
        assertThat(get(RegisterOp.P95)).isCloseTo(48.0, within(1e-9));
        assertThat(get(RegisterOp.P99)).isCloseTo(49.6, within(1e-9));
    }

    @Test
    void percentilesOfOneToHundred() {
        Register r = countRegister(100);
        for (int i = 100; i >= 1; i--) {
            r.update("k", i, 0, ALL, out);
        }
        // position 0.5 * 99 = 49.5 -> between 50 and 51; 0.95 * 99 = 94.05 -> 95.05; 0.99 * 99 = 98.01 -> 99.01
        assertThat(get(RegisterOp.P50)).isCloseTo(50.5, within(1e-9));
        assertThat(get(RegisterOp.P95)).isCloseTo(95.05, within(1e-9));
        assertThat(get(RegisterOp.P99)).isCloseTo(99.01, within(1e-9));
    }

    @Test
    void slopeAndSecondsToThresholdOnAKnownLine() {
        Register r = countRegister(100);
        // y = 50 + 0.5 t at t = 0, 10, 20, 30 s
        for (int t = 0; t <= 30; t += 10) {
            r.update("disk", 50 + 0.5 * t, 100, ALL, out);
            clock.advanceSeconds(10);
        }
        assertThat(get(RegisterOp.SLOPE)).isCloseTo(0.5, within(1e-9));
        // the line is at 65 at the newest sample; 100 is 35 / 0.5 = 70 s away
        assertThat(get(RegisterOp.PREDICT)).isCloseTo(70, within(1e-6));
    }

    @Test
    void slopeOfNoisyDataIsTheLeastSquaresFit() {
        Register r = countRegister(100);
        // x = 0, 1, 2, 3; y = 1, 3, 2, 5: Sxy = 5.5, Sxx = 5 -> slope 1.1, intercept 2.75 - 1.1 * 1.5 = 1.1
        feed(r, "k", 1, 3, 2, 5);
        assertThat(get(RegisterOp.SLOPE)).isCloseTo(1.1, within(1e-9));
        // fitted at x = 3: 1.1 + 3.3 = 4.4; threshold 100 -> (100 - 4.4) / 1.1
        assertThat(get(RegisterOp.PREDICT)).isCloseTo((100 - 4.4) / 1.1, within(1e-6));
    }

    @Test
    void predictIsAbsentWhenTheLineMovesAwayIsFlatOrUndefined() {
        Register r = countRegister(100);
        feed(r, "one", 10);
        assertThat(get(RegisterOp.SLOPE)).isNaN();
        assertThat(get(RegisterOp.PREDICT)).isNaN();

        feed(r, "falling", 90, 80, 70);
        assertThat(get(RegisterOp.SLOPE)).isCloseTo(-10, within(1e-9));
        assertThat(get(RegisterOp.PREDICT)).as("threshold 100 above a falling line").isNaN();

        feed(r, "flat", 5, 5, 5);
        assertThat(get(RegisterOp.SLOPE)).isEqualTo(0);
        assertThat(get(RegisterOp.PREDICT)).isNaN();

        feed(r, "crossed", 98, 100, 102);
        assertThat(get(RegisterOp.PREDICT)).as("passed 100 going up: moving away").isNaN();

        feed(r, "at", 96, 98, 100);
        assertThat(get(RegisterOp.PREDICT)).isCloseTo(0, within(1e-9));

        // two samples at the same instant: no line
        Register same = countRegister(10);
        same.update("k", 1, 100, ALL, out);
        same.update("k", 2, 100, ALL, out);
        assertThat(get(RegisterOp.SLOPE)).isNaN();
        assertThat(get(RegisterOp.RATE)).isNaN();
        assertThat(get(RegisterOp.EVENT_RATE)).isNaN();
    }

    @Test
    void predictTowardsALowerThreshold() {
        Register r = countRegister(100);
        feed(r, "free", 50, 48, 46); // -2 per second, 46 now; threshold 10 is 18 s away
        double[] o = new double[RegisterOp.size()];
        r.read("free", 10, RegisterOp.PREDICT.bit(), o);
        assertThat(o[RegisterOp.PREDICT.ordinal()]).isCloseTo(18, within(1e-9));
    }

    @Test
    void ewmaWithAlphaHalf() {
        Register r = countRegister(2); // the count window does not bound the EWMA
        feed(r, "k", 10);
        assertThat(get(RegisterOp.EWMA)).isEqualTo(10);
        feed(r, "k", 20);
        assertThat(get(RegisterOp.EWMA)).isEqualTo(15);
        feed(r, "k", 30);
        assertThat(get(RegisterOp.EWMA)).isEqualTo(22.5);
        feed(r, "k", 30);
        assertThat(get(RegisterOp.EWMA)).isEqualTo(26.25);
    }

    @Test
    void counterRateHandlesResetsAndEventRateCountsSamples() {
        Register r = countRegister(100);
        // every 10 s: 100, 110, 130, 5 (reset: +5), 25 -> increase 10 + 20 + 5 + 20 = 55 over 40 s
        for (double v : new double[] { 100, 110, 130, 5, 25 }) {
            r.update("c", v, 0, ALL, out);
            clock.advanceSeconds(10);
        }
        assertThat(get(RegisterOp.RATE)).isCloseTo(55.0 / 40, within(1e-12));
        assertThat(get(RegisterOp.EVENT_RATE)).isCloseTo(4.0 / 40, within(1e-12));
    }

    @Test
    void countWindowKeepsTheLastSizeSamples() {
        Register r = countRegister(3);
        feed(r, "k", 1, 2, 3, 4, 5);
        assertThat(get(RegisterOp.COUNT)).isEqualTo(3);
        assertThat(get(RegisterOp.MEAN)).isEqualTo(4);
        assertThat(get(RegisterOp.MIN)).isEqualTo(3);
        assertThat(get(RegisterOp.MAX)).isEqualTo(5);
        assertThat(get(RegisterOp.SLOPE)).isCloseTo(1, within(1e-9));
        // 3 -> 4 -> 5 over 2 s
        assertThat(get(RegisterOp.RATE)).isCloseTo(1, within(1e-9));
        assertThat(r.stats().overflowSamples()).as("a count window does not overflow").isZero();
    }

    @Test
    void timeWindowDropsSamplesOlderThanTheWindow() {
        Register r = new Register("t", RegisterSettings.time(Duration.ofSeconds(60)), clock);
        clock.setSeconds(1000);
        r.update("k", 1, 0, ALL, out); // t = 1000
        clock.setSeconds(1030);
        r.update("k", 2, 0, ALL, out);
        clock.setSeconds(1059);
        r.update("k", 3, 0, ALL, out);
        assertThat(get(RegisterOp.COUNT)).isEqualTo(3);
        clock.setSeconds(1060); // the sample of 1000 is exactly 60 s old: out
        r.update("k", 4, 0, ALL, out);
        assertThat(get(RegisterOp.COUNT)).isEqualTo(3);
        assertThat(get(RegisterOp.SUM)).isEqualTo(9);
        clock.setSeconds(1100); // cutoff 1040: 1059, 1060, 1100 stay
        r.update("k", 5, 0, ALL, out);
        assertThat(get(RegisterOp.COUNT)).isEqualTo(3);
        assertThat(get(RegisterOp.MIN)).isEqualTo(3);
        assertThat(get(RegisterOp.SUM)).isEqualTo(12);

        // a read later slides the window to now (arrival time)
        clock.setSeconds(1159);
        double[] o = new double[RegisterOp.size()];
        r.read("k", 0, RegisterOp.COUNT.bit() | RegisterOp.MEAN.bit(), o);
        assertThat(o[RegisterOp.COUNT.ordinal()]).isEqualTo(1);
        assertThat(o[RegisterOp.MEAN.ordinal()]).isEqualTo(5);
        clock.setSeconds(1200);
        r.read("k", 0, RegisterOp.COUNT.bit() | RegisterOp.MEAN.bit() | RegisterOp.SUM.bit(), o);
        assertThat(o[RegisterOp.COUNT.ordinal()]).isZero();
        assertThat(o[RegisterOp.SUM.ordinal()]).isZero();
        assertThat(o[RegisterOp.MEAN.ordinal()]).isNaN();
    }

    @Test
    void aTimeWindowHoldingMoreThanMaxSamplesDropsItsOldestEarlyAndCountsIt() {
        Register r = new Register("t", settings(Duration.ofMinutes(1), 0, 4, 10, Duration.ZERO, false, 0.3), clock);
        feed(r, "k", 1, 2, 3, 4, 5, 6);
        assertThat(get(RegisterOp.COUNT)).isEqualTo(4);
        assertThat(get(RegisterOp.MIN)).isEqualTo(3);
        assertThat(r.stats().overflowSamples()).isEqualTo(2);
    }

    @Test
    void readOfAnUnknownKeyIsAnEmptyWindow() {
        Register r = countRegister(10);
        assertThat(r.read("nobody", 0, ALL, out)).isFalse();
        assertThat(get(RegisterOp.COUNT)).isZero();
        assertThat(get(RegisterOp.SUM)).isZero();
        assertThat(get(RegisterOp.MEAN)).isNaN();
        assertThat(get(RegisterOp.P95)).isNaN();
        assertThat(r.keyCount()).as("a read creates no key").isZero();
    }

    @Test
    void onlyTheOpsAskedForAreComputed() {
        Register r = countRegister(10);
        feed(r, "k", 1, 2, 3);
        r.update("k", 4, 0, RegisterOp.MEAN.bit() | RegisterOp.P95.bit(), out);
        assertThat(get(RegisterOp.MEAN)).isEqualTo(2.5);
        assertThat(get(RegisterOp.P95)).isCloseTo(3.85, within(1e-9));
        assertThat(get(RegisterOp.COUNT)).isNaN();
        assertThat(get(RegisterOp.SLOPE)).isNaN();
        assertThat(get(RegisterOp.MIN)).isNaN();
    }

    @Test
    void negativeZeroAndZeroAreOneValue() {
        Register r = countRegister(2);
        feed(r, "k", -0.0, 0.0, -0.0, 1, 2);
        assertThat(get(RegisterOp.MIN)).isEqualTo(1);
    }

    /**
     * Long random runs against a brute-force recomputation over the same window: the ring buffer, the sorted copy,
     * the running sums (and their periodic recompute), growth and time expiry all agree with the obvious algorithm.
     */
    @Test
    void incrementalResultsMatchBruteForceOverLongRandomRuns() {
        Random random = new Random(42);
        for (int round = 0; round < 6; round++) {
            boolean timed = round % 2 == 0;
            int size = timed ? 0 : 1 + random.nextInt(50);
            int maxSamples = timed ? 5 + random.nextInt(200) : Math.max(size, 60);
            Duration window = timed ? Duration.ofSeconds(5 + random.nextInt(30)) : Duration.ZERO;
            Register r = new Register("t", settings(window, size, maxSamples, 10, Duration.ofDays(1), false, 0.3),
                    clock);
            Deque<double[]> naive = new ArrayDeque<>(); // {value, timeSeconds}
            clock.setSeconds(10_000);
            for (int i = 0; i < 20_000; i++) {
                // bursts and gaps, so that many samples expire at once now and then
                clock.advanceSeconds(random.nextInt(10) == 0 ? random.nextDouble() * 20 : random.nextDouble() * 0.5);
                double v = random.nextInt(4) == 0 ? random.nextInt(10) : 50 + random.nextGaussian() * 20;
                double now = clock.nanos() / 1e9;
                // the last rounds ask for no order statistic at first: the sorted copy is built late, mid-stream
                boolean late = round >= 4 && i < 10_000;
                r.update("k", v, 75, late ? RegisterOp.MEAN.bit() : ALL, out);
                naive.addLast(new double[] { v, clock.nanos() });
                while (timed && naive.peekFirst()[1] <= clock.nanos() - window.toNanos()) {
                    naive.removeFirst();
                }
                while (naive.size() > (size > 0 ? size : maxSamples)) {
                    naive.removeFirst();
                }
                if (!late && (i % 37 == 0 || i > 19_900 || i < 10_050)) {
                    assertMatches(naive, now, "round " + round + " step " + i);
                }
            }
        }
    }

    private void assertMatches(Deque<double[]> window, double nowSeconds, String where) {
        List<double[]> samples = new ArrayList<>(window);
        int n = samples.size();
        double[] values = samples.stream().mapToDouble(s -> s[0]).toArray();
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = Arrays.stream(values).sum();
        assertThat(get(RegisterOp.COUNT)).as(where).isEqualTo(n);
        assertThat(get(RegisterOp.SUM)).as(where).isCloseTo(sum, within(1e-6 * Math.max(1, Math.abs(sum))));
        assertThat(get(RegisterOp.MIN)).as(where).isEqualTo(sorted[0]);
        assertThat(get(RegisterOp.MAX)).as(where).isEqualTo(sorted[n - 1]);
        double pos = 0.95 * (n - 1);
        int lo = (int) pos;
        double p95 = sorted[lo] + (sorted[Math.min(lo + 1, n - 1)] - sorted[lo]) * (pos - lo);
        assertThat(get(RegisterOp.P95)).as(where).isCloseTo(p95, within(1e-9));
        if (n >= 3) {
            double[] x = samples.stream().mapToDouble(s -> s[1] / 1e9).toArray();
            double mx = Arrays.stream(x).average().orElseThrow();
            double my = sum / n;
            double sxy = 0;
            double sxx = 0;
            double increase = 0;
            for (int i = 0; i < n; i++) {
                sxy += (x[i] - mx) * (values[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
                if (i > 0) {
                    increase += values[i] >= values[i - 1] ? values[i] - values[i - 1] : values[i];
                }
            }
            if (sxx > 1e-6) {
                double slope = sxy / sxx;
                assertThat(get(RegisterOp.SLOPE)).as(where).isCloseTo(slope, within(1e-6 * Math.max(1, Math.abs(slope))));
                double span = x[n - 1] - x[0];
                assertThat(get(RegisterOp.RATE)).as(where)
                        .isCloseTo(increase / span, within(1e-6 * Math.max(1, increase / span)));
                double fitted = my + slope * (x[n - 1] - mx);
                double seconds = (75 - fitted) / slope;
                if (seconds > 1e-6 && Math.abs(slope) > 1e-9) {
                    assertThat(get(RegisterOp.PREDICT)).as(where)
                            .isCloseTo(seconds, within(1e-5 * Math.max(1, Math.abs(seconds))));
                } else if (seconds < -1e-6) {
                    assertThat(get(RegisterOp.PREDICT)).as(where).isNaN();
                }
            }
        }
        assertThat(nowSeconds).isPositive();
    }
}
