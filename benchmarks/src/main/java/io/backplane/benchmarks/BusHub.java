package io.backplane.benchmarks;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.core.zmq.ZmqPublisher;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * An external emitter ({@link ZmqPublisher}, as {@code Emitter.zeromq} uses) publishing to the embedded hub of the
 * {@code bus:} component, and one {@code from("bus:bench/**")} route receiving each event parsed into an
 * {@link Event}; the route reads the stamp from {@code data.t}. With {@code otherRoutes > 0}, that many more routes
 * listen on tags the events never have (half under {@code bench/}, half under {@code monitor/}).
 */
final class BusHub extends TransportScenario {

    private final int otherRoutes;
    private final LongAdder misrouted = new LongAdder();
    private CamelContext camel;
    private BusComponent bus;
    private ZmqPublisher publisher;

    BusHub(int otherRoutes) {
        this.otherRoutes = otherRoutes;
    }

    @Override
    public String name() {
        return otherRoutes == 0 ? "bus-hub" : "bus-hub-" + otherRoutes + "-routes";
    }

    @Override
    public String baseline() {
        return otherRoutes == 0 ? null : "bus-hub";
    }

    @Override
    public String description() {
        return otherRoutes == 0
                ? "ZmqPublisher -> embedded hub (XSUB, hub thread: trie, parse) -> from(bus:bench/**) route"
                : "as bus-hub, with " + otherRoutes + " more routes on tags that never match";
    }

    @Override
    public void setUp(Config config) throws Exception {
        int publishPort = Ports.free();
        int subscribePort = Ports.free();
        camel = new DefaultCamelContext();
        // as the distribution runs (camel.main.streamCachingEnabled=false): events are small maps, not streams
        camel.setStreamCaching(false);
        bus = new BusComponent();
        bus.setPublishPort(publishPort);
        bus.setSubscribePort(subscribePort);
        camel.addComponent("bus", bus);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:bench/**").routeId("bench-bus")
                        .process(exchange -> received(Payload.sentNanos(
                                ((Event) exchange.getMessage().getBody()).data())));
                for (int i = 0; i < otherRoutes; i++) {
                    String glob = i % 2 == 0 ? "bench/other" + i + "/**" : "monitor/r" + i + "/*/firing";
                    from("bus:" + glob).routeId("other-" + i).process(exchange -> misrouted.increment());
                }
            }
        });
        camel.start();
        publisher = connect("tcp://127.0.0.1:" + publishPort, config.highWaterMark);
    }

    /**
     * A ZmqPublisher that the hub has subscribed to. JeroMQ 0.6.0 sometimes leaves a fresh connecting socket stuck
     * before the handshake for 30 s (see JeromqPubSub.connectPublisher); ZmqPublisher has no handshake interval
     * setting, so a publisher that hears nothing within 2 s is replaced.
     */
    static ZmqPublisher connect(String address, int highWaterMark) {
        for (int attempt = 1; ; attempt++) {
            ZmqPublisher p = new ZmqPublisher(address, highWaterMark, Duration.ofSeconds(2));
            if (p.awaitSubscriber(Duration.ofSeconds(2))) {
                return p;
            }
            p.close();
            System.err.println("[bench] publisher not subscribed by the hub within 2 s (JeroMQ connect race), "
                               + "retrying");
            if (attempt == 5) {
                throw new IllegalStateException("the hub never subscribed to " + address);
            }
        }
    }

    @Override
    protected Sender sender(int thread) {
        return json -> {
            publisher.send(Payload.TAG_BYTES, json);
            return true;
        };
    }

    @Override
    public Result run(int size, Config config) throws Exception {
        Result r = super.run(size, config);
        if (otherRoutes > 0) {
            r.put("routes", otherRoutes + 1);
            r.put("misrouted", misrouted.sum());
        }
        long[] counters = bus.counters();
        r.put("bus_invalid", counters[2]);
        return r;
    }

    @Override
    public void tearDown() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (camel != null) {
            camel.close();
        }
    }
}
