package io.backplane.component.register;

import java.util.Arrays;

/**
 * The window of one key: a ring buffer of (value, time) in primitive arrays, running sums for the mean and the
 * least-squares line, the counter increase for {@code rate}, the EWMA, and (once an order statistic is asked for) a
 * sorted copy of the values kept up to date by binary search and array shifts. Not thread-safe: the register calls it
 * under its lock.
 * <p>
 * Memory: about 100 bytes plus 16 bytes per sample slot (24 once sorted); slots grow by half up to the limit.
 */
final class KeyWindow {

    private static final int INITIAL_CAPACITY = 8;
    private static final double NANOS_PER_SECOND = 1e9;

    final String key;
    /** Least-recently-updated list of the register. */
    KeyWindow prev;
    KeyWindow next;
    /** Clock time of the last update (idle eviction). */
    long lastUpdate;
    /** Time of the newest sample ever accepted; the window never moves back from it. */
    long newest = Long.MIN_VALUE;

    private double[] values;
    private long[] times;
    private double[] sorted;
    private int head;
    private int count;

    /** x of the regression is (time - origin) in seconds; the origin moves to the oldest sample at each recompute. */
    private long origin;
    private double sumY;
    private double sumX;
    private double sumXX;
    private double sumXY;
    /** Sum of the counter increases between consecutive samples (a drop is a reset: counts from zero). */
    private double increase;
    private double ewma = Double.NaN;
    private int sinceRecompute;

    KeyWindow(String key, int limit) {
        this.key = key;
        int capacity = Math.min(limit, INITIAL_CAPACITY);
        this.values = new double[capacity];
        this.times = new long[capacity];
    }

    int count() {
        return count;
    }

    int capacity() {
        return values.length;
    }

    /**
     * Appends a sample, first dropping what left the window. Returns true when the count limit pushed out a sample that
     * the time window alone would have kept (an overflow of a time window).
     */
    boolean add(double value, long time, RegisterSettings s) {
        if (s.windowNanos() > 0) {
            expireUpTo(time - s.windowNanos());
        }
        boolean overflow = false;
        int limit = s.limit();
        // a full window with a sorted copy: the oldest value is replaced in the copy by the new one in one shift
        // (of the values ranked between them) instead of a removal and an insertion that both shift half the array
        boolean replace = false;
        double evicted = 0;
        if (count == limit) {
            if (sorted != null) {
                replace = true;
                evicted = values[head];
                double[] keep = sorted;
                sorted = null;
                removeOldest();
                sorted = keep;
            } else {
                removeOldest();
            }
            overflow = s.size() == 0;
        }
        if (count == values.length) {
            grow(limit);
        }
        if (count == 0) {
            origin = time;
        }
        int cap = values.length;
        int tail = head + count;
        if (tail >= cap) {
            tail -= cap;
        }
        if (count > 0) {
            int last = tail == 0 ? cap - 1 : tail - 1;
            increase += delta(values[last], value);
        }
        values[tail] = value;
        times[tail] = time;
        double x = (time - origin) / NANOS_PER_SECOND;
        sumY += value;
        sumX += x;
        sumXX += x * x;
        sumXY += x * value;
        if (replace) {
            replaceSorted(evicted, value, count + 1);
        } else if (sorted != null) {
            insertSorted(value);
        }
        count++;
        ewma = Double.isNaN(ewma) ? value : s.alpha() * value + (1 - s.alpha()) * ewma;
        // running sums drift after many additions and subtractions: recompute them exactly once per window's worth of
        // changes (amortised O(1)), which also moves the regression's origin up to the oldest sample
        if (++sinceRecompute > count + 64) {
            recompute();
        }
        return overflow;
    }

    /** Drops samples whose time is at or before {@code cutoff}; returns how many. */
    int expireUpTo(long cutoff) {
        int k = 0;
        int i = head;
        int cap = values.length;
        while (k < count && times[i] <= cutoff) {
            k++;
            if (++i == cap) {
                i = 0;
            }
        }
        if (k == 0) {
            return 0;
        }
        if (k == count) {
            clear();
            return k;
        }
        // many at once: shifting the sorted copy once per sample would be quadratic, so sort it again instead
        double[] keep = sorted;
        boolean resort = keep != null && k > 16 && k * 8 > count;
        if (resort) {
            sorted = null;
        }
        for (int j = 0; j < k; j++) {
            removeOldest();
        }
        if (resort) {
            sorted = keep;
            fillSorted();
        }
        return k;
    }

    private void removeOldest() {
        int cap = values.length;
        double v = values[head];
        double x = (times[head] - origin) / NANOS_PER_SECOND;
        sumY -= v;
        sumX -= x;
        sumXX -= x * x;
        sumXY -= x * v;
        int nextIndex = head + 1 == cap ? 0 : head + 1;
        if (count >= 2) {
            increase -= delta(v, values[nextIndex]);
        }
        if (sorted != null) {
            removeSorted(v);
        }
        head = nextIndex;
        count--;
        sinceRecompute++;
        if (count == 0) {
            clear();
        }
    }

    private void clear() {
        head = 0;
        count = 0;
        sumY = sumX = sumXX = sumXY = increase = 0;
        sinceRecompute = 0;
    }

    private static double delta(double previous, double current) {
        return current >= previous ? current - previous : current;
    }

    private void grow(int limit) {
        int cap = values.length;
        int newCap = Math.min(limit, Math.max(INITIAL_CAPACITY, cap + (cap >> 1)));
        double[] v = new double[newCap];
        long[] t = new long[newCap];
        // unroll the ring so that it starts at 0
        int first = Math.min(count, cap - head);
        System.arraycopy(values, head, v, 0, first);
        System.arraycopy(times, head, t, 0, first);
        System.arraycopy(values, 0, v, first, count - first);
        System.arraycopy(times, 0, t, first, count - first);
        values = v;
        times = t;
        head = 0;
        if (sorted != null) {
            sorted = Arrays.copyOf(sorted, newCap);
        }
    }

    private void recompute() {
        sumY = sumX = sumXX = sumXY = increase = 0;
        sinceRecompute = 0;
        if (count == 0) {
            return;
        }
        origin = times[head];
        int cap = values.length;
        int i = head;
        double previous = 0;
        for (int j = 0; j < count; j++) {
            double v = values[i];
            double x = (times[i] - origin) / NANOS_PER_SECOND;
            sumY += v;
            sumX += x;
            sumXX += x * x;
            sumXY += x * v;
            if (j > 0) {
                increase += delta(previous, v);
            }
            previous = v;
            if (++i == cap) {
                i = 0;
            }
        }
    }

    private void insertSorted(double v) {
        int pos = Arrays.binarySearch(sorted, 0, count, v);
        if (pos < 0) {
            pos = -pos - 1;
        }
        System.arraycopy(sorted, pos, sorted, pos + 1, count - pos);
        sorted[pos] = v;
    }

    /**
     * In the n sorted values, replaces one equal to old by v, shifting only the values ranked between them. The new
     * place is found by galloping from the old one (probes at 1, 2, 4, ... away, then a binary search in the last
     * step): it reads only around the range the shift touches anyway, where a binary search over the whole array
     * would miss the cache at every level.
     */
    private void replaceSorted(double old, double v, int n) {
        double[] a = sorted;
        int i = Arrays.binarySearch(a, 0, n, old);
        if (v > old) {
            int bound = 1;
            while (i + bound < n && a[i + bound] < v) {
                bound <<= 1;
            }
            int k = Arrays.binarySearch(a, i + (bound >> 1) + 1, Math.min(i + bound, n), v);
            if (k < 0) {
                k = -k - 1;
            }
            System.arraycopy(a, i + 1, a, i, k - i - 1);
            a[k - 1] = v;
        } else if (v < old) {
            int bound = 1;
            while (i - bound >= 0 && a[i - bound] > v) {
                bound <<= 1;
            }
            int k = Arrays.binarySearch(a, Math.max(i - bound, 0), i - (bound >> 1), v);
            if (k < 0) {
                k = -k - 1;
            }
            System.arraycopy(a, k, a, k + 1, i - k);
            a[k] = v;
        } else {
            a[i] = v;
        }
    }

    private void removeSorted(double v) {
        int pos = Arrays.binarySearch(sorted, 0, count, v);
        System.arraycopy(sorted, pos + 1, sorted, pos, count - pos - 1);
    }

    private void fillSorted() {
        int cap = values.length;
        int first = Math.min(count, cap - head);
        System.arraycopy(values, head, sorted, 0, first);
        System.arraycopy(values, 0, sorted, first, count - first);
        Arrays.sort(sorted, 0, count);
    }

    /** Writes the results of the operations in {@code mask} to {@code out} (indexed by op ordinal; NaN = none). */
    void results(int mask, double threshold, double[] out) {
        int n = count;
        if (RegisterOp.COUNT.in(mask)) {
            out[RegisterOp.COUNT.ordinal()] = n;
        }
        if (RegisterOp.SUM.in(mask)) {
            out[RegisterOp.SUM.ordinal()] = sumY;
        }
        if (RegisterOp.MEAN.in(mask)) {
            out[RegisterOp.MEAN.ordinal()] = n == 0 ? Double.NaN : sumY / n;
        }
        if ((mask & RegisterOp.ORDER_MASK) != 0) {
            if (n > 0 && sorted == null) {
                sorted = new double[values.length];
                fillSorted();
            }
            // only what is asked for: each one reads another part of the sorted copy (a cache miss, often)
            if (RegisterOp.MIN.in(mask)) {
                out[RegisterOp.MIN.ordinal()] = n == 0 ? Double.NaN : sorted[0];
            }
            if (RegisterOp.MAX.in(mask)) {
                out[RegisterOp.MAX.ordinal()] = n == 0 ? Double.NaN : sorted[n - 1];
            }
            if (RegisterOp.P50.in(mask)) {
                out[RegisterOp.P50.ordinal()] = percentile(0.50);
            }
            if (RegisterOp.P95.in(mask)) {
                out[RegisterOp.P95.ordinal()] = percentile(0.95);
            }
            if (RegisterOp.P99.in(mask)) {
                out[RegisterOp.P99.ordinal()] = percentile(0.99);
            }
        }
        double spanSeconds = n < 2 ? 0 : (newestTime() - oldestTime()) / NANOS_PER_SECOND;
        if (RegisterOp.RATE.in(mask)) {
            out[RegisterOp.RATE.ordinal()] = spanSeconds > 0 ? increase / spanSeconds : Double.NaN;
        }
        if (RegisterOp.EVENT_RATE.in(mask)) {
            out[RegisterOp.EVENT_RATE.ordinal()] = spanSeconds > 0 ? (n - 1) / spanSeconds : Double.NaN;
        }
        if (RegisterOp.EWMA.in(mask)) {
            out[RegisterOp.EWMA.ordinal()] = ewma;
        }
        if (RegisterOp.SLOPE.in(mask) || RegisterOp.PREDICT.in(mask)) {
            regression(mask, threshold, out);
        }
    }

    private static void put(double[] out, RegisterOp op, int mask, double value) {
        if (op.in(mask)) {
            out[op.ordinal()] = value;
        }
    }

    /** Linear interpolation between the closest ranks (numpy's default): q * (n - 1) is the position. */
    private double percentile(double q) {
        int n = count;
        if (n == 0) {
            return Double.NaN;
        }
        double pos = q * (n - 1);
        int lo = (int) pos;
        int hi = Math.min(lo + 1, n - 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    private void regression(int mask, double threshold, double[] out) {
        double slope = Double.NaN;
        double toThreshold = Double.NaN;
        int n = count;
        if (n >= 2) {
            double meanX = sumX / n;
            double meanY = sumY / n;
            double varX = sumXX / n - meanX * meanX;
            // all samples at (nearly) the same time: no line through them
            if (varX > 0 && varX > 1e-12 * (sumXX / n)) {
                slope = (sumXY / n - meanX * meanY) / varX;
                double intercept = meanY - slope * meanX;
                double xNow = (newestTime() - origin) / NANOS_PER_SECOND;
                double fitted = intercept + slope * xNow;
                if (Math.abs(threshold - fitted) <= 1e-9 * Math.max(1.0, Math.abs(threshold))) {
                    toThreshold = 0; // at the threshold, give or take rounding
                } else if (slope != 0) {
                    double seconds = (threshold - fitted) / slope;
                    // negative: the line crossed the threshold in the past and moves away from it
                    toThreshold = seconds >= 0 ? seconds : Double.NaN;
                }
            }
        }
        put(out, RegisterOp.SLOPE, mask, slope);
        put(out, RegisterOp.PREDICT, mask, toThreshold);
    }

    private long oldestTime() {
        return times[head];
    }

    private long newestTime() {
        int tail = head + count - 1;
        if (tail >= values.length) {
            tail -= values.length;
        }
        return times[tail];
    }

    /** Approximate heap bytes of this key's state (object, arrays, key string), for the stats. */
    long bytes() {
        long arrays = 16 + 8L * values.length + 16 + 8L * times.length + (sorted == null ? 0 : 16 + 8L * sorted.length);
        return 112 + arrays + 40 + key.length() * 2L;
    }
}
