package io.backplane.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;

import io.backplane.component.register.Register;
import io.backplane.component.register.RegisterClock;
import io.backplane.component.register.RegisterOp;
import io.backplane.component.register.RegisterSettings;

/**
 * Heap held by one register with 100,000 keys of 60 samples each (ops mean,p95,slope, so each key also keeps its
 * sorted copy for the percentile), measured with {@link MemoryMXBean} after full GCs: the whole heap in use, and the
 * difference from before the register was filled. Window 1h with one sample per key per second (a controlled
 * clock), maxKeys raised to 100,000, other settings at their defaults.
 */
final class RegisterHeap implements Scenario {

    static final int KEYS = 100_000;
    static final int SAMPLES = 60;
    /** The budget of the issue: heap used under 256 MB. */
    static final double BUDGET_MB = 256;

    @Override
    public String name() {
        return "register-heap";
    }

    @Override
    public String description() {
        return "heap used (MemoryMXBean, after GC) by a register of 100,000 keys x 60 samples, mean,p95,slope";
    }

    @Override
    public boolean sizeIndependent() {
        return true;
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        String[] keys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "host-" + k + ".example.org";
        }
        long before = usedAfterGc(memory);
        long[] now = { 0 };
        RegisterClock clock = () -> now[0];
        Register register = new Register("heap", new RegisterSettings(Duration.ofHours(1), 0,
                RegisterSettings.DEFAULT_MAX_SAMPLES, KEYS, Duration.ZERO, false, RegisterSettings.DEFAULT_ALPHA,
                RegisterSettings.DEFAULT_MAX_KEY_LENGTH), clock);
        int ops = RegisterOp.MEAN.bit() | RegisterOp.P95.bit() | RegisterOp.SLOPE.bit();
        double[] out = new double[RegisterOp.size()];
        long t0 = System.nanoTime();
        for (int s = 0; s < SAMPLES; s++) {
            now[0] += 1_000_000_000L;
            for (int k = 0; k < KEYS; k++) {
                register.update(keys[k], 40 + s * 0.1 + (k % 7), Double.NaN, ops, out);
            }
        }
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        long after = usedAfterGc(memory);
        long samples = register.sampleCount();
        long approx = register.approxBytes();
        int held = register.keyCount();
        double usedMb = after / 1048576.0;
        Result r = new Result(name(), size)
                .put("keys", held)
                .put("samples", samples)
                .put("heap_used_mb", Math.round(usedMb * 10) / 10.0)
                .put("register_mb", Math.round((after - before) / 1048576.0 * 10) / 10.0)
                .put("approx_mb", Math.round(approx / 1048576.0 * 10) / 10.0)
                .put("bytes_per_key", (after - before) / Math.max(1, held))
                .put("heap_headroom_mb", Math.round((BUDGET_MB - usedMb) * 10) / 10.0)
                .put("fill_s", Math.round(fillSeconds * 100) / 100.0);
        // keep the register reachable until measured
        java.lang.ref.Reference.reachabilityFence(register);
        return r;
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
