package io.backplane.benchmarks;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The baseline: a raw JeroMQ PUB bound on 127.0.0.1 sending [tag, event] to a raw SUB (subscribed to everything)
 * read by one thread with blocking recv. Each side has its own context with one I/O thread, as two processes would.
 */
final class JeromqPubSub extends TransportScenario {

    private ZContext pubContext;
    private ZContext subContext;
    private String address;
    private ZMQ.Socket pub;
    private Thread receiver;
    private volatile boolean running;

    @Override
    public String name() {
        return "jeromq-pubsub";
    }

    @Override
    public String description() {
        return "baseline: raw JeroMQ PUB -> SUB over tcp 127.0.0.1, stamp read from the bytes";
    }

    @Override
    public void setUp(Config config) {
        pubContext = new ZContext(1);
        subContext = new ZContext(1);
        address = "tcp://127.0.0.1:" + Ports.free();
        // the SUB binds and the PUB connects, as in zeromq-route (where the route's SUB binds)
        ZMQ.Socket sub = subContext.createSocket(SocketType.SUB);
        sub.setRcvHWM(config.highWaterMark);
        sub.setReceiveTimeOut(100);
        sub.setLinger(0);
        sub.subscribe(new byte[0]);
        sub.bind(address);
        pub = connectPublisher(pubContext, address, config);
        running = true;
        receiver = new Thread(() -> {
            try {
                while (running) {
                    byte[] tag = sub.recv(0);
                    if (tag == null) {
                        continue;
                    }
                    byte[] body = sub.hasReceiveMore() ? sub.recv(0) : tag;
                    received(Payload.sentNanos(body));
                }
            } finally {
                sub.close();
            }
        }, "bench-jeromq-sub");
        receiver.setDaemon(true);
        receiver.start();
    }

    /**
     * The raw PUB, connecting. It lives as long as the scenario; each run's sender thread uses it alone, handed over
     * through the harness's queues. A short handshake interval works around a JeroMQ 0.6.0 race in which a fresh
     * connecting socket sometimes never completes the ZMTP handshake until the handshake timer (30 s by default)
     * reconnects it (zeromq/jeromq pull request 1022; measured here at a few percent of connections).
     */
    static ZMQ.Socket connectPublisher(ZContext context, String address, Config config) {
        ZMQ.Socket pub = context.createSocket(SocketType.PUB);
        pub.setSndHWM(config.highWaterMark);
        pub.setLinger(0);
        pub.setHandshakeIvl(500);
        pub.setReconnectIVL(100);
        pub.connect(address);
        return pub;
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
        running = false;
        if (receiver != null) {
            receiver.join(5000);
        }
        pub.close();
        pubContext.close();
        subContext.close();
    }
}
