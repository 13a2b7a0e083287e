package io.backplane.benchmarks;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.ingest.IngestProcessor;

/**
 * In-process, single thread: one call per event on pre-built bodies (1,024 distinct events, cycled), timed one by one.
 * {@code ingest-parse} is {@link IngestProcessor#decode} on a structured-mode request (content type check, JSON parse,
 * CloudEvents validation, freezing); its baseline {@code jackson-parse} is a bare Jackson parse of the same bytes
 * into a Map, to show what the validation adds.
 */
final class ParseScenario implements Scenario {

    private static final int DISTINCT = 1024;
    private static final String CONTENT_TYPE = "application/cloudevents+json";

    private final boolean ingest;
    private IngestProcessor processor;
    private final ObjectMapper mapper = new ObjectMapper();
    /** Keeps the JIT from dropping the work. */
    private long sink;

    ParseScenario(boolean ingest) {
        this.ingest = ingest;
    }

    @Override
    public String name() {
        return ingest ? "ingest-parse" : "jackson-parse";
    }

    @Override
    public String baseline() {
        return ingest ? "jackson-parse" : null;
    }

    @Override
    public String description() {
        return ingest ? "IngestProcessor.decode(structured event): parse + validation, one thread, no HTTP"
                      : "baseline: Jackson ObjectMapper.readValue(bytes, Object.class) of the same events";
    }

    @Override
    public void setUp(Config config) {
        processor = new IngestProcessor(new EventCodec(EventCodec.DEFAULT_MAX_BYTES), EventCodec.DEFAULT_MAX_BYTES,
                null, "bus");
    }

    private long once(byte[] body) throws Exception {
        if (ingest) {
            List<Event> events = processor.decode(CONTENT_TYPE, Map.of(), null, body);
            return events.get(0).id().length();
        }
        Object tree = mapper.readValue(body, Object.class);
        return ((Map<?, ?>) tree).size();
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        Payload payload = new Payload(size);
        byte[][] bodies = new byte[DISTINCT][];
        for (int i = 0; i < DISTINCT; i++) {
            bodies[i] = payload.stamped(i);
        }
        loop(bodies, new Phase(0), Config.nanos(config.warmupSeconds));
        Phase warm = new Phase(0);
        // a short probe for the phase's capacity
        long probe = loop(bodies, warm, 100_000_000L);
        int capacity = (int) Math.min(config.maxSamples, warm.count() * 10L * config.measureSeconds * 2 + 1000);
        Phase measured = new Phase(capacity);
        long elapsed = loop(bodies, measured, Config.nanos(config.measureSeconds));
        Double[] lat = measured.percentilesMicros();
        return new Result(name(), payload.size())
                .put("events", measured.count())
                .put("events_per_s", (double) Math.round(measured.count() * 1e9 / elapsed))
                .put("p50_us", lat[0])
                .put("p99_us", lat[1])
                .put("lost", 0)
                .put("sink", (sink + probe) % 2); // always printed so the work cannot be optimised away
    }

    /** Calls in a loop for the duration; returns the elapsed nanoseconds. */
    private long loop(byte[][] bodies, Phase phase, long durationNanos) throws Exception {
        long start = System.nanoTime();
        long end = start + durationNanos;
        long now = start;
        int i = 0;
        long s = 0;
        while (now < end) {
            byte[] body = bodies[i++ & (DISTINCT - 1)];
            long t0 = System.nanoTime();
            s += once(body);
            now = System.nanoTime();
            phase.recordDuration(now - t0, now);
        }
        sink += s;
        return now - start;
    }
}
