package io.backplane.benchmarks;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Dedupe on the rule path, one thread, in process: a {@link ProducerTemplate} sends pre-built events (10,000
 * subjects round robin) into {@code direct:} -> {@code to: dedupe:bench?mode=once&window=1h} -> a counting step.
 * After the first round every event is a repeat within the window, so this measures the suppression path a storm of
 * repeated alerts takes. Its baseline {@code direct-route} is the same route without the dedupe step: the ratio is
 * what dedupe costs on top of Camel's own per-exchange work.
 */
final class DedupeOnce implements Scenario {

    private static final int KEYS = 10_000;
    private static final int BATCH = 1024;

    private final boolean dedupe;
    private CamelContext camel;
    private ProducerTemplate template;
    private Endpoint in;
    private Event[] events;
    private final LongAdder passed = new LongAdder();

    DedupeOnce(boolean dedupe) {
        this.dedupe = dedupe;
    }

    @Override
    public String name() {
        return dedupe ? "dedupe-once" : "direct-route";
    }

    @Override
    public String baseline() {
        return dedupe ? "direct-route" : null;
    }

    @Override
    public String description() {
        return dedupe ? "ProducerTemplate -> direct: -> to: dedupe:bench?mode=once&window=1h (10,000 subjects) -> count"
                      : "baseline: ProducerTemplate -> direct: -> count (the same route without dedupe)";
    }

    @Override
    public boolean sizeIndependent() {
        return true;
    }

    @Override
    public void setUp(Config config) throws Exception {
        events = new Event[KEYS];
        for (int i = 0; i < KEYS; i++) {
            events[i] = Event.builder("monitor/alertmanager/HighLoad/firing").subject("host-" + i)
                    .data(Map.of("labels", Map.of("severity", "critical"))).build();
        }
        camel = new DefaultCamelContext();
        camel.setStreamCaching(false);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var route = from("direct:dedupe-bench").routeId("dedupe-bench");
                if (dedupe) {
                    route.to("dedupe:bench?mode=once&window=1h");
                }
                route.process(exchange -> passed.increment());
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
        in = camel.getEndpoint("direct:dedupe-bench");
        for (int i = 0; i < 300_000; i++) { // JIT warm-up, so --quick measures compiled code too
            template.sendBody(in, events[i % KEYS]);
        }
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        loop(Config.nanos(config.warmupSeconds));
        passed.reset();
        long[] done = loop(Config.nanos(config.measureSeconds));
        return new Result(name(), size)
                .put("events", done[0])
                .put("events_per_s", (double) Math.round(done[0] * 1e9 / done[1]))
                .put("passed", passed.sum())
                .put("keys", KEYS);
    }

    private long[] loop(long durationNanos) {
        long start = System.nanoTime();
        long end = start + durationNanos;
        long now = start;
        long n = 0;
        int i = 0;
        while (now < end) {
            for (int b = 0; b < BATCH; b++) {
                template.sendBody(in, events[i]);
                i = i + 1 == KEYS ? 0 : i + 1;
            }
            n += BATCH;
            now = System.nanoTime();
        }
        return new long[] { n, now - start };
    }

    @Override
    public void tearDown() {
        if (camel != null) {
            camel.stop();
        }
    }
}
