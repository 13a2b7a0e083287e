package io.backplane.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * End-to-end latency of a remediation: an event published on the bus -> the rule route
 * {@code from("bus:bench/ssh/**").to("ssh-action:e2e").to("bus")} (one command over the shared SSH connection to the
 * in-process MINA SSHD server) -> the result event back on the bus -> a {@code from("bus:action/ssh/e2e/**")} route
 * that records the time since the triggering event was published (found by the result's causationid).
 * One event at a time (the next is sent when the previous result arrived), so this is the latency of one
 * remediation with nothing queued, and events/s is its inverse.
 */
final class SshEndToEnd implements Scenario {

    private SshBenchServer server;
    private CamelContext camel;
    private ProducerTemplate template;
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final Semaphore done = new Semaphore(0);
    private final LongAdder failed = new LongAdder();

    @Override
    public String name() {
        return "ssh-e2e";
    }

    @Override
    public String description() {
        return "event on the bus -> rule route -> ssh-action: (reused connection, MINA SSHD) -> bus -> result "
               + "route; one event at a time; latency from publish to the result's arrival";
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
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        camel.addComponent("bus", bus);
        String inventory = server.inventory().toString();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:bench/ssh/**").routeId("bench-ssh-rule")
                        .to("ssh-action:e2e?inventory=" + inventory + "&command=echo ${data.n}&timeout=30s")
                        .to("bus");
                from("bus:action/ssh/e2e/**").routeId("bench-ssh-results").process(exchange -> {
                    long now = Payload.now();
                    Event result = exchange.getMessage().getBody(Event.class);
                    Long at = sent.remove(result.causationId());
                    if (at != null) {
                        latencies.add(now - at);
                    }
                    if (!"ok".equals(result.data().get("outcome"))) {
                        failed.increment();
                        if (failed.sum() == 1) {
                            System.err.println("[bench] ssh-e2e: " + result.data().get("error"));
                        }
                    }
                    done.release();
                });
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    /** Sends one event at a time for {@code seconds}; returns {elapsed nanoseconds, events}. */
    private long[] loop(double seconds) throws InterruptedException {
        long start = Payload.now();
        long until = start + Config.nanos(seconds);
        long n = 0;
        while (Payload.now() < until) {
            Event trigger = Event.builder("bench/ssh/e2e").subject(SshBenchServer.HOST)
                    .data(Map.of("n", n)).build();
            sent.put(trigger.id(), Payload.now());
            template.sendBody("bus", trigger);
            if (!done.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no result event within 30 s for event " + n);
            }
            n++;
        }
        return new long[] { Payload.now() - start, n };
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        loop(config.warmupSeconds);
        latencies.clear();
        failed.reset();
        long[] run = loop(config.measureSeconds);
        Double[] lat = SshActions.percentiles(new ArrayList<>(latencies));
        return new Result(name(), size)
                .put("events", run[1])
                .put("events_per_s", (double) Math.round(run[1] * 1e9 / run[0]))
                .put("e2e_p50_us", lat[0])
                .put("e2e_p99_us", lat[1])
                .put("ssh_commands", server.commands())
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
