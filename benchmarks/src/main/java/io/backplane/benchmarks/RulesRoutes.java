package io.backplane.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.backplane.component.bus.BusComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * N rules as N YAML routes, {@code from: bus:monitor/alert/alert-i/firing} + {@code filter: {ev: data.alert.severity
 * > 2}}, on the real {@code bus:} component (embedded hub): the same prebuilt events are published with a
 * ProducerTemplate to {@code bus} (in process to the hub), and the hub's thread parses each event once, finds its
 * route through the tag trie and runs it. At most {@link Config#window} events are in flight, so no ZeroMQ queue
 * can drop; events/s = events handled / (time the last one was handled - first send).
 */
final class RulesRoutes implements Scenario {

    private final int rules;
    private RulesWorkload workload;
    private CamelContext camel;
    private BusComponent bus;
    private ProducerTemplate template;
    private Endpoint endpoint;
    private final LongAdder fired = new LongAdder();

    RulesRoutes(int rules) {
        this.rules = rules;
    }

    @Override
    public String name() {
        return "rules-routes-" + rules;
    }

    @Override
    public String baseline() {
        return "rules-choice-" + rules + "-simple";
    }

    @Override
    public String description() {
        return rules + " YAML routes, from bus:monitor/alert/alert-i/firing + filter ev severity > 2; events "
               + "published to the embedded hub with a ProducerTemplate";
    }

    @Override
    public boolean sizeIndependent() {
        return true;
    }

    @Override
    public void setUp(Config config) throws Exception {
        workload = new RulesWorkload();
        camel = new DefaultCamelContext();
        camel.setStreamCaching(false);
        bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        camel.addComponent("bus", bus);
        camel.getRegistry().bind("fired", (Processor) exchange -> fired.increment());
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.fromString("rules.yaml", RulesWorkload.perRuleRoutes(rules)));
        camel.start();
        template = camel.createProducerTemplate();
        endpoint = camel.getEndpoint("bus");
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        pump(Config.nanos(config.warmupSeconds), config.window);
        long firedBefore = fired.sum();
        long[] m = pump(Config.nanos(config.measureSeconds), config.window);
        long sent = m[0];
        long delivered = m[1];
        long elapsed = m[2];
        long expected = m[3];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fired.sum() - firedBefore < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        long firedNow = fired.sum() - firedBefore;
        // size_bytes is the harness's size (the key its ratios are looked up by); the events are event_bytes long
        Result r = new Result(name(), size)
                .put("event_bytes", RulesWorkload.SIZE)
                .put("events", delivered)
                .put("events_per_s", (double) Math.round(delivered * 1e9 / elapsed))
                .put("rules", rules)
                .put("fired", firedNow)
                .put("expected_fired", expected)
                .put("lost", sent - delivered)
                .put("bus_invalid", bus.counters()[2]);
        if (firedNow != expected) {
            throw new IllegalStateException(name() + ": " + firedNow + " rules fired, expected " + expected);
        }
        return r;
    }

    /** Events the hub has taken from the bus (each is then dispatched on the hub's thread). */
    private long received() {
        return bus.counters()[0];
    }

    /** Publishes for the duration; returns {sent, delivered, elapsed nanos, rules expected to fire}. */
    private long[] pump(long durationNanos, int window) {
        long base = received();
        long start = System.nanoTime();
        long end = start + durationNanos;
        long now = start;
        long sent = 0;
        long expected = 0;
        int i = 0;
        while (now < end) {
            long inFlight = sent - (received() - base);
            if (inFlight >= window) {
                LockSupport.parkNanos(20_000); // leave the core to the hub
                now = System.nanoTime();
                continue;
            }
            long batch = Math.min(window - inFlight, 256);
            for (int j = 0; j < batch; j++) {
                int k = i++ & (RulesWorkload.DISTINCT - 1);
                template.sendBody(endpoint, workload.events[k]);
                if (workload.fires(k, rules)) {
                    expected++;
                }
            }
            sent += batch;
            now = System.nanoTime();
        }
        // drain: the throughput counts until the last event has been taken
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long delivered;
        while ((delivered = received() - base) < sent && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000);
        }
        return new long[] { sent, delivered, System.nanoTime() - start, expected };
    }

    @Override
    public void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }
}
