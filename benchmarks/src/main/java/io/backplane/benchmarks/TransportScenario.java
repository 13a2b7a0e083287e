package io.backplane.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Events sent by one or more sender threads and received by one receiving thread (a socket's or a route's), with
 * latency measured from the stamp written at send to the receipt.
 * <p>
 * A run: (1) sync, sending probes until one arrives (a SUB that has just connected misses what came before its
 * subscription); (2) warm-up at full speed (twice as long at a scenario's first size); (3) the throughput
 * measurement at full speed, events/s = delivered / (last receipt - first send); (4) the latency measurement paced
 * at a modest rate, where queueing does not dominate.
 * The sender never has more than {@link Config#window} events in flight, so no ZeroMQ queue can reach its
 * high-water mark; events still missing once the receiver has been idle for two seconds are reported as lost.
 */
abstract class TransportScenario implements Scenario {

    /** The phase receivers record into; receivers call {@link #received(long)}. */
    private volatile Phase phase = new Phase(0);
    private final AtomicLong seq = new AtomicLong();
    private long syncMillis;
    /** The first size of a scenario warms up twice as long: its JIT work (Camel, the codec) happens there. */
    private boolean warmedUp;

    /** One sender thread's way to send one event (a fresh byte array it may hand over without copying). */
    interface Sender extends AutoCloseable {
        /** Returns false when the event was refused (e.g. an HTTP error). */
        boolean send(byte[] json) throws Exception;

        @Override
        default void close() {
        }
    }

    /** A sender for the given sender thread (0-based). Called on that thread. */
    protected abstract Sender sender(int thread) throws Exception;

    protected int senderThreads(Config config) {
        return 1;
    }

    /** Called by the receiving side for each benchmark event, with its send stamp. */
    protected final void received(long sentNanos) {
        phase.record(sentNanos);
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        Payload payload = new Payload(size);
        int threads = senderThreads(config);
        // senders are created and used on their own threads (ZeroMQ sockets must stay on one thread)
        SenderPool pool = new SenderPool(threads);
        try {
            pool.start(this);
            sync(pool, payload);
            double warmupSeconds = warmedUp ? config.warmupSeconds : 2 * config.warmupSeconds;
            warmedUp = true;
            Stats warm = pump(pool, payload, new Phase(0), Config.nanos(warmupSeconds), 0, config);
            double warmRate = warm.rate();
            int capacity = (int) Math.min(config.maxSamples, Math.max(10_000, warmRate * config.measureSeconds * 2));
            long gcBefore = gcMillis();
            Stats load = pump(pool, payload, new Phase(capacity), Config.nanos(config.measureSeconds), 0, config);
            long gcMillis = gcMillis() - gcBefore;
            int rate = (int) Math.max(100, Math.min(config.pacedRate, load.rate() / 2));
            int pacedCapacity = (int) Math.min(config.maxSamples, rate * config.pacedSeconds * 2 + 1000);
            Stats paced = pump(pool, payload, new Phase(pacedCapacity), Config.nanos(config.pacedSeconds), rate,
                               config);

            Double[] loadLat = load.phase.percentilesMicros();
            Double[] pacedLat = paced.phase.percentilesMicros();
            Result r = new Result(name(), payload.size())
                    .put("events", load.delivered)
                    .put("events_per_s", (double) Math.round(load.rate()))
                    .put("p50_us", pacedLat[0])
                    .put("p99_us", pacedLat[1])
                    .put("paced_rate", rate)
                    .put("load_p50_us", loadLat[0])
                    .put("load_p99_us", loadLat[1])
                    .put("lost", load.lost + paced.lost + warm.lost)
                    .put("gc_ms", gcMillis)
                    .put("sync_ms", syncMillis);
            long refused = load.refused + paced.refused + warm.refused;
            if (refused > 0) {
                r.put("refused", refused);
            }
            return r;
        } finally {
            pool.stop();
        }
    }

    /** Sends probes until one is received, then lets the stragglers land. */
    private void sync(SenderPool pool, Payload payload) throws Exception {
        Phase probe = new Phase(0);
        phase = probe;
        long start = System.nanoTime();
        // 45 s: a connection inside a component may hit JeroMQ's connect race and wait out its 30 s handshake timer
        long deadline = start + TimeUnit.SECONDS.toNanos(45);
        boolean warned = false;
        while (probe.count() == 0) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException(name() + ": no probe event arrived within 45 s");
            }
            if (!warned && now - start > TimeUnit.SECONDS.toNanos(3)) {
                warned = true;
                System.err.println("[bench] " + name() + ": no probe event after 3 s; a JeroMQ connection is "
                                   + "probably stuck before its handshake (waits out the 30 s handshake timer)");
            }
            pool.sendOne(payload.stamped(seq.incrementAndGet()));
            Thread.sleep(10);
        }
        syncMillis = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(200);
    }

    private Stats pump(SenderPool pool, Payload payload, Phase p, long durationNanos, int rate, Config config)
            throws Exception {
        phase = p;
        AtomicLong sent = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long start = Payload.now();
        int threads = pool.size();
        Thread tracer = TRACE ? trace(p, sent, durationNanos) : null;
        pool.runAll(sender -> {
            long perThreadRate = rate / threads;
            long mine = 0;
            while (true) {
                long now = Payload.now();
                long elapsed = now - start;
                if (elapsed >= durationNanos) {
                    return;
                }
                if (perThreadRate > 0) {
                    long due = elapsed * perThreadRate / 1_000_000_000L + 1;
                    if (mine >= due) {
                        LockSupport.parkNanos(Math.max(10_000, (mine * 1_000_000_000L / perThreadRate) - elapsed));
                        continue;
                    }
                }
                // check the window and the clock every 32 events: both reads cost more than a send to a queue
                for (int i = 0; i < 32; i++) {
                    if (sent.get() - refused.get() - p.count() >= config.window) {
                        LockSupport.parkNanos(20_000);
                        break;
                    }
                    sent.incrementAndGet();
                    mine++;
                    if (!sender.send(payload.stamped(seq.incrementAndGet()))) {
                        refused.incrementAndGet();
                    }
                    if (perThreadRate > 0) {
                        break;
                    }
                }
            }
        });
        if (tracer != null) {
            tracer.interrupt();
        }
        // wait for the receiver to catch up; stop when it has everything or has been idle for 2 s
        long total = sent.get() - refused.get();
        long last = -1;
        long idleSince = System.nanoTime();
        while (p.count() < total) {
            long c = p.count();
            if (c != last) {
                last = c;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(2)) {
                break;
            }
            Thread.sleep(1);
        }
        long delivered = p.count();
        long end = delivered > 0 ? p.lastNanos() : Payload.now();
        return new Stats(p, delivered, Math.max(0, total - delivered), refused.get(), end - start);
    }

    /** -Dbench.trace=true: events/s every 250 ms on stderr, to see warm-up and stalls. */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");

    private Thread trace(Phase p, AtomicLong sent, long durationNanos) {
        Thread t = new Thread(() -> {
            long last = 0;
            long lastSent = 0;
            StringBuilder line = new StringBuilder("[trace] " + name() + " k events/s per 250 ms (received/sent):");
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(250);
                    long c = p.count();
                    long s = sent.get();
                    line.append(' ').append((c - last) * 4 / 1000).append('/').append((s - lastSent) * 4 / 1000);
                    last = c;
                    lastSent = s;
                }
            } catch (InterruptedException e) {
                // done
            }
            System.err.println(line);
        }, "bench-trace");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static final class Stats {
        final Phase phase;
        final long delivered;
        final long lost;
        final long refused;
        final long elapsedNanos;

        Stats(Phase phase, long delivered, long lost, long refused, long elapsedNanos) {
            this.phase = phase;
            this.delivered = delivered;
            this.lost = lost;
            this.refused = refused;
            this.elapsedNanos = elapsedNanos;
        }

        double rate() {
            return elapsedNanos <= 0 ? 0 : delivered * 1e9 / elapsedNanos;
        }
    }

    /** Sender threads that live for one run, each owning its sender. */
    private static final class SenderPool {

        interface Work {
            void run(Sender sender) throws Exception;
        }

        private final int size;
        private final List<Thread> threads = new ArrayList<>();
        private final List<SynchronousQueue<Object>> inboxes = new ArrayList<>();
        private final LinkedBlockingQueue<Object> outbox = new LinkedBlockingQueue<>();
        private static final Object STOP = new Object();

        SenderPool(int size) {
            this.size = size;
        }

        int size() {
            return size;
        }

        void start(TransportScenario scenario) throws Exception {
            for (int i = 0; i < size; i++) {
                int index = i;
                SynchronousQueue<Object> inbox = new SynchronousQueue<>();
                inboxes.add(inbox);
                Thread t = new Thread(() -> {
                    Sender sender = null;
                    try {
                        sender = scenario.sender(index);
                        outbox.put("ready");
                        while (true) {
                            Object task = inbox.take();
                            if (task == STOP) {
                                break;
                            }
                            try {
                                if (task instanceof byte[]) {
                                    sender.send((byte[]) task);
                                } else {
                                    ((Work) task).run(sender);
                                }
                                outbox.put("done");
                            } catch (Exception | Error e) {
                                outbox.put(e);
                            }
                        }
                    } catch (Exception e) {
                        outbox.add(e);
                    } finally {
                        if (sender != null) {
                            sender.close();
                        }
                    }
                }, "bench-sender-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            await(size);
        }

        /** Sends one event from the first sender thread. */
        void sendOne(byte[] json) throws Exception {
            inboxes.get(0).put(json);
            await(1);
        }

        void runAll(Work work) throws Exception {
            for (SynchronousQueue<Object> inbox : inboxes) {
                inbox.put(work);
            }
            await(size);
        }

        private void await(int n) throws Exception {
            for (int i = 0; i < n; i++) {
                Object o = outbox.take();
                if (o instanceof Exception) {
                    throw (Exception) o;
                }
                if (o instanceof Error) {
                    throw (Error) o;
                }
            }
        }

        void stop() throws InterruptedException {
            for (int i = 0; i < threads.size(); i++) {
                inboxes.get(i).offer(STOP, 5, TimeUnit.SECONDS);
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }
}
