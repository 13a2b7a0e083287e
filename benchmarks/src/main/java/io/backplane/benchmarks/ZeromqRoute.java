package io.backplane.benchmarks;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The {@code zeromq:} component's SUB consumer in a Camel route, fed by the same raw PUB as the baseline; the route's
 * processor reads the stamp from the body bytes exactly as the baseline's receiver does, so the ratio is the cost of
 * the component and of Camel's exchange per message.
 */
final class ZeromqRoute extends TransportScenario {

    private ZContext pubContext;
    private ZMQ.Socket pub;
    private CamelContext camel;

    @Override
    public String name() {
        return "zeromq-route";
    }

    @Override
    public String baseline() {
        return "jeromq-pubsub";
    }

    @Override
    public String description() {
        return "raw PUB -> from(zeromq:tcp://...?socketType=SUB) route, stamp read from the body bytes";
    }

    @Override
    public void setUp(Config config) throws Exception {
        int port = Ports.free();
        camel = new DefaultCamelContext();
        // as the distribution runs (camel.main.streamCachingEnabled=false): events are small maps, not streams
        camel.setStreamCaching(false);
        // the route's SUB binds and the raw PUB connects (see JeromqPubSub.connectPublisher for why)
        String uri = "zeromq:tcp://127.0.0.1:" + port + "?socketType=SUB&bind=true&receiveHighWaterMark="
                     + config.highWaterMark;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("bench-zeromq")
                        .process(exchange -> received(Payload.sentNanos(exchange.getMessage().getBody(byte[].class))));
            }
        });
        camel.start();
        pubContext = new ZContext(1);
        pub = JeromqPubSub.connectPublisher(pubContext, "tcp://127.0.0.1:" + port, config);
    }

    @Override
    protected Sender sender(int thread) {
        return json -> {
            pub.send(Payload.TAG_BYTES, ZMQ.SNDMORE);
            return pub.send(json, 0);
        };
    }

    @Override
    public void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (pubContext != null) {
            pub.close();
            pubContext.close();
        }
    }
}
