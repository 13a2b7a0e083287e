package io.backplane.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import io.backplane.component.register.Register;
import io.backplane.component.register.RegisterOp;
import io.backplane.component.register.RegisterSettings;
import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Updates of one register, 100 keys round robin, ops mean,p95,slope, a 1-minute time window (arrival time), the
 * other settings at their defaults (so each key holds at most maxSamples = 1,000 samples: at these rates the window
 * is capped by that bound, and every update also drops the key's oldest sample). One thread, in process.
 * <ul>
 * <li>{@code register-update-raw}: {@link Register#update} called directly with the key and the value (no event).</li>
 * <li>{@code register-update}: a {@link ProducerTemplate} sending pre-built events into
 * {@code direct:} -> {@code to: register:bench?value=data.v&window=1m&ops=mean,p95,slope}: the producer reads the
 * key (subject) and value (data.v) from the event and sets the result headers.</li>
 * </ul>
 */
final class RegisterUpdate implements Scenario {

    static final int KEYS = 100;
    private static final int DISTINCT = 4096; // events or values, cycled
    private static final int BATCH = 1024;
    private static final int OPS = RegisterOp.MEAN.bit() | RegisterOp.P95.bit() | RegisterOp.SLOPE.bit();

    private final boolean raw;
    private Register register;
    private String[] keys;
    private double[] values;
    private CamelContext camel;
    private ProducerTemplate template;
    private Endpoint in;
    private Event[] events;
    private long sink;

    RegisterUpdate(boolean raw) {
        this.raw = raw;
    }

    @Override
    public String name() {
        return raw ? "register-update-raw" : "register-update";
    }

    @Override
    public String baseline() {
        return raw ? null : "register-update-raw";
    }

    @Override
    public String description() {
        return raw ? "Register.update(key, value) directly: 100 keys round robin, mean,p95,slope, window 1m"
                   : "ProducerTemplate -> direct: -> to: register:bench?value=data.v&window=1m&ops=mean,p95,slope "
                     + "(100 subjects round robin)";
    }

    @Override
    public boolean sizeIndependent() {
        return true;
    }

    @Override
    public void setUp(Config config) throws Exception {
        Random random = new Random(7);
        keys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "host-" + k;
        }
        values = new double[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            // a disk-like gauge: a slow trend plus noise
            values[i] = 50 + i * 0.001 + random.nextGaussian() * 5;
        }
        if (raw) {
            register = new Register("bench", RegisterSettings.time(Duration.ofMinutes(1)), null);
            warmUp();
            return;
        }
        events = new Event[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            events[i] = Event.builder("host/" + keys[i % KEYS] + "/disk").subject(keys[i % KEYS])
                    .data(Map.of("v", values[i])).build();
        }
        camel = new DefaultCamelContext();
        camel.setStreamCaching(false);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:register-bench").routeId("register-bench")
                        .to("register:bench?value=data.v&window=1m&ops=mean,p95,slope");
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
        in = camel.getEndpoint("direct:register-bench");
        warmUp();
    }

    /**
     * A fixed amount of work before any measurement, so that --quick (half a second of warm-up) measures compiled
     * code too: Camel's routing path needs far more calls than the register alone before the JIT is done with it.
     */
    private void warmUp() {
        long calls = raw ? 3_000_000 : 300_000;
        double[] out = new double[RegisterOp.size()];
        for (int i = 0; i < calls; i++) {
            if (raw) {
                register.update(keys[i % KEYS], values[i & (DISTINCT - 1)], Double.NaN, OPS, out);
            } else {
                template.sendBody(in, events[i & (DISTINCT - 1)]);
            }
        }
        sink += (long) out[RegisterOp.P95.ordinal()];
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        loop(Config.nanos(config.warmupSeconds));
        long[] done = loop(Config.nanos(config.measureSeconds));
        long updates = done[0];
        long elapsed = done[1];
        long cpu = done[2];
        Register r = raw ? register : ((io.backplane.component.register.RegisterComponent) camel.getComponent(
                "register")).getRegister("bench");
        return new Result(name(), size)
                .put("events", updates)
                .put("events_per_s", (double) Math.round(updates * 1e9 / elapsed))
                .put("ns_per_update", Math.round(elapsed * 10.0 / updates) / 10.0)
                // the thread's own CPU time: what the rate would be with a core to itself (the 2 cores here are
                // shared with builds at times, which the wall-clock rate above includes)
                .put("cpu_ns_per_update", Math.round(cpu * 10.0 / updates) / 10.0)
                .put("cpu_updates_per_s", (double) Math.round(updates * 1e9 / cpu))
                .put("keys", r.keyCount())
                .put("samples_per_key", r.sampleCount() / Math.max(1, r.keyCount()))
                .put("sink", sink % 2); // printed so the work cannot be optimised away
    }

    /** Updates in batches until the duration is over; returns {updates, elapsed nanos, thread CPU nanos}. */
    private long[] loop(long durationNanos) {
        double[] out = new double[RegisterOp.size()];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + durationNanos;
        long now = start;
        long n = 0;
        int i = 0;
        double s = 0;
        while (now < end) {
            if (raw) {
                for (int b = 0; b < BATCH; b++) {
                    register.update(keys[i % KEYS], values[i & (DISTINCT - 1)], Double.NaN, OPS, out);
                    s += out[RegisterOp.P95.ordinal()];
                    i++;
                }
            } else {
                for (int b = 0; b < BATCH; b++) {
                    template.sendBody(in, events[i & (DISTINCT - 1)]);
                    i++;
                }
            }
            n += BATCH;
            now = System.nanoTime();
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        sink += (long) s;
        return new long[] { n, now - start, cpu };
    }

    @Override
    public void tearDown() {
        if (camel != null) {
            camel.stop();
        }
        register = null;
    }
}
