package io.backplane.benchmarks;

import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * N rules as one YAML {@code choice} with one {@code when} per rule, loaded through the YAML DSL; prebuilt parsed
 * events pushed one by one through a ProducerTemplate into {@code direct:rules} on this thread, each call timed.
 * With {@code ev}, camel-ev's indexed choice looks the alert name up instead of scanning the whens; the
 * {@code simple} and {@code jsonpath} variants are Camel as it comes (the baselines).
 */
final class RulesChoice implements Scenario {

    private final String language;
    private final int rules;
    private RulesWorkload workload;
    private CamelContext camel;
    private ProducerTemplate template;
    private Endpoint endpoint;
    private final LongAdder fired = new LongAdder();
    private long sink;

    RulesChoice(String language, int rules) {
        this.language = language;
        this.rules = rules;
    }

    @Override
    public String name() {
        return "rules-choice-" + rules + (language.equals("ev") ? "" : "-" + language);
    }

    @Override
    public String baseline() {
        return language.equals("simple") ? null : "rules-choice-" + rules + "-simple";
    }

    @Override
    public String description() {
        return "one YAML choice of " + rules + " whens (" + language + ": name == 'alert-i' && severity > 2), "
               + "Event bodies via ProducerTemplate -> direct:, one thread";
    }

    @Override
    public boolean sizeIndependent() {
        return true;
    }

    /** The slow baselines get short phases: a few thousand events say enough. */
    private boolean slow() {
        return !language.equals("ev") && rules >= 1000;
    }

    @Override
    public void setUp(Config config) throws Exception {
        workload = new RulesWorkload();
        camel = new DefaultCamelContext();
        camel.setStreamCaching(false); // as the distribution runs
        camel.getRegistry().bind("fired", (Processor) exchange -> fired.increment());
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.fromString("rules.yaml", RulesWorkload.choiceRoute(language, rules)));
        camel.start();
        template = camel.createProducerTemplate();
        endpoint = camel.getEndpoint("direct:rules");
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        double warmup = slow() ? Math.min(1, config.warmupSeconds) : config.warmupSeconds;
        double measure = slow() ? Math.min(2, config.measureSeconds) : config.measureSeconds;
        loop(new Phase(0), Config.nanos(warmup));
        int capacity = (int) Math.min(config.maxSamples, measure * 2_000_000);
        Phase measured = new Phase(capacity);
        long firedBefore = fired.sum();
        long[] counts = loop(measured, Config.nanos(measure));
        long elapsed = counts[0];
        long expected = counts[1];
        long firedNow = fired.sum() - firedBefore;
        Double[] lat = measured.percentilesMicros();
        // size_bytes is the harness's size (the key its ratios are looked up by); the events are event_bytes long
        Result r = new Result(name(), size)
                .put("event_bytes", RulesWorkload.SIZE)
                .put("events", measured.count())
                .put("events_per_s", (double) Math.round(measured.count() * 1e9 / elapsed))
                .put("p50_us", lat[0])
                .put("p99_us", lat[1])
                .put("rules", rules)
                .put("fired", firedNow)
                .put("expected_fired", expected)
                .put("indexed", indexed())
                .put("sink", sink % 2);
        if (firedNow != expected) {
            throw new IllegalStateException(name() + ": " + firedNow + " rules fired, expected " + expected);
        }
        return r;
    }

    /** Whether camel-ev replaced the choice by its indexed form (by class name: no compile-time dependency). */
    private boolean indexed() {
        return camel.getProcessor("rules-choice").getClass().getSimpleName().equals("IndexedChoiceProcessor");
    }

    /** Sends for the duration; returns {elapsed nanos, rules expected to fire}. */
    private long[] loop(Phase phase, long durationNanos) {
        long start = System.nanoTime();
        long end = start + durationNanos;
        long now = start;
        long expected = 0;
        int i = 0;
        while (now < end) {
            int k = i++ & (RulesWorkload.DISTINCT - 1);
            long t0 = System.nanoTime();
            template.sendBody(endpoint, workload.events[k]);
            now = System.nanoTime();
            phase.recordDuration(now - t0, now);
            if (workload.fires(k, rules)) {
                expected++;
            }
        }
        sink += i;
        return new long[] { now - start, expected };
    }

    @Override
    public void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }
}
