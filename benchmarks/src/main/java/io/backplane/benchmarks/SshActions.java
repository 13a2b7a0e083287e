package io.backplane.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.backplane.component.sshaction.SshActionComponent;
import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * SSH actions per second through the {@code ssh-action:} producer against the in-process MINA SSHD server
 * ({@link SshBenchServer}): {@value #CALLERS} threads call the endpoint in a loop (as several route threads would),
 * each call one command on the same host, the result event checked. With {@code reuseConnections=false} every action
 * connects, exchanges keys, logs in and disconnects (the baseline, which is what camel-ssh does); with
 * {@code true} every action is a channel on one shared, authenticated connection.
 */
final class SshActions implements Scenario {

    /** Concurrent callers; the endpoint's maxPerHost lets all of them run at once. */
    static final int CALLERS = 4;
    /** Fewest measured actions per caller, however long they take (the baseline's logins are slow). */
    static final int MIN_ACTIONS_PER_CALLER = 5;

    private final boolean reuse;
    private SshBenchServer server;
    private CamelContext camel;
    private ProducerTemplate template;
    private Endpoint endpoint;

    SshActions(boolean reuse) {
        this.reuse = reuse;
    }

    @Override
    public String name() {
        return reuse ? "ssh-reuse" : "ssh-new-connection";
    }

    @Override
    public String baseline() {
        return reuse ? "ssh-new-connection" : null;
    }

    @Override
    public String description() {
        return reuse ? "ssh-action: producer, one shared SSH connection per host (reuseConnections=true), "
                       + CALLERS + " callers, in-process MINA SSHD"
                : "ssh-action: producer, a new SSH connection and login per action (reuseConnections=false), "
                  + CALLERS + " callers, in-process MINA SSHD";
    }

    @Override
    public boolean sizeIndependent() {
        return true;
    }

    @Override
    public void setUp(Config config) throws Exception {
        server = new SshBenchServer();
        camel = new DefaultCamelContext();
        camel.setStreamCaching(false);
        camel.start();
        template = camel.createProducerTemplate();
        endpoint = camel.getEndpoint("ssh-action:bench?inventory=" + server.inventory() + "&command=echo ok"
                                     + "&reuseConnections=" + reuse + "&maxPerHost=" + CALLERS + "&timeout=30s");
    }

    /** Durations recorded by one caller thread, read after it ended. */
    private static final class Samples {
        final long[] nanos;
        volatile int count; // one writer (its caller thread); the main thread reads it to decide when to stop

        Samples(int capacity) {
            nanos = new long[capacity];
        }

        void add(long d) {
            if (count < nanos.length) {
                nanos[count] = d;
            }
            count++;
        }
    }

    /**
     * Runs the callers for {@code seconds}, and longer if needed until each made {@code minPerCaller} actions (a
     * login can take longer than a quick run); returns {elapsed nanoseconds, actions} and fills {@code latencies}.
     */
    private long[] pump(double seconds, int minPerCaller, LongAdder failed, List<Long> latencies) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Event trigger = trigger();
        List<Thread> threads = new ArrayList<>();
        List<Samples> samples = new ArrayList<>();
        long start = Payload.now();
        for (int c = 0; c < CALLERS; c++) {
            Samples mine = new Samples(latencies == null ? 0 : 1_000_000);
            samples.add(mine);
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    long t0 = Payload.now();
                    Event result = template.requestBody(endpoint, trigger, Event.class);
                    mine.add(Payload.now() - t0);
                    if (!"ok".equals(result.data().get("outcome"))) {
                        failed.increment();
                        if (failed.sum() == 1) {
                            System.err.println("[bench] " + name() + ": " + result.data().get("error"));
                        }
                    }
                }
            }, "bench-ssh-" + c);
            t.start();
            threads.add(t);
        }
        Thread.sleep((long) (seconds * 1000));
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (samples.stream().anyMatch(x -> x.count < minPerCaller) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = Payload.now() - start;
        long actions = 0;
        for (Samples s : samples) {
            actions += s.count;
            if (latencies != null) {
                for (int i = 0; i < Math.min(s.count, s.nanos.length); i++) {
                    latencies.add(s.nanos[i]);
                }
            }
        }
        return new long[] { elapsed, actions };
    }

    static Event trigger() {
        return Event.builder("bench/ssh").subject(SshBenchServer.HOST).build();
    }

    /** {p50, p99} in microseconds. */
    static Double[] percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return new Double[] { null, null };
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Double[] { micros(sorted[(int) Math.floor(0.50 * (sorted.length - 1))]),
                              micros(sorted[(int) Math.floor(0.99 * (sorted.length - 1))]) };
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        LongAdder failed = new LongAdder();
        pump(config.warmupSeconds, 1, failed, null);
        SshActionComponent ssh = camel.getComponent("ssh-action", SshActionComponent.class);
        int loginsBefore = ssh.getConnectionsMade();
        int sessionsBefore = server.sessions();
        failed.reset();
        List<Long> latencies = new ArrayList<>();
        long[] run = pump(config.measureSeconds, MIN_ACTIONS_PER_CALLER, failed, latencies);
        Double[] lat = percentiles(latencies);
        return new Result(name(), size)
                .put("events", run[1])
                .put("events_per_s", (double) Math.round(run[1] * 1e9 / run[0]))
                .put("callers", CALLERS)
                .put("reuse_connections", reuse)
                .put("action_p50_us", lat[0])
                .put("action_p99_us", lat[1])
                .put("ssh_logins", ssh.getConnectionsMade() - loginsBefore)
                .put("server_sessions", server.sessions() - sessionsBefore)
                .put("failed", failed.sum());
    }

    @Override
    public void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
