package io.backplane.component.bus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The embedded ZeroMQ hub: an XSUB socket that emitters publish to and an XPUB socket that subscribers read from,
 * joined by ZeroMQ's proxy on one thread. The hub subscribes to everything upstream (publishers send it every event)
 * and its XPUB side sends each subscriber only the tags under the prefixes it subscribed to.
 */
final class Hub {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    private final ZContext context;
    private final String publishAddress;
    private final String subscribeAddress;
    private final int highWaterMark;
    private ZMQ.Socket control;
    private Thread thread;

    Hub(ZContext context, String publishAddress, String subscribeAddress, int highWaterMark) {
        this.context = context;
        this.publishAddress = publishAddress;
        this.subscribeAddress = subscribeAddress;
        this.highWaterMark = highWaterMark;
    }

    void start() {
        ZMQ.Socket xsub = context.createSocket(SocketType.XSUB);
        ZMQ.Socket xpub = context.createSocket(SocketType.XPUB);
        String controlAddress = "inproc://backplane-hub-control-" + System.identityHashCode(this);
        ZMQ.Socket controlReceiver = context.createSocket(SocketType.PAIR);
        try {
            xsub.setRcvHWM(highWaterMark);
            xsub.setSndHWM(highWaterMark);
            xpub.setRcvHWM(highWaterMark);
            xpub.setSndHWM(highWaterMark);
            xsub.setLinger(0);
            xpub.setLinger(0);
            bind(xsub, publishAddress, "publish");
            bind(xpub, subscribeAddress, "subscribe");
            // Subscribe to everything upstream: publishers (ZmqPublisher) wait for a subscription before their first
            // send, and must get one even while no route listens yet.
            xsub.send(new byte[] { 1 }, 0);
            controlReceiver.bind(controlAddress);
        } catch (RuntimeException e) {
            context.destroySocket(xsub);
            context.destroySocket(xpub);
            context.destroySocket(controlReceiver);
            throw e;
        }
        control = context.createSocket(SocketType.PAIR);
        control.connect(controlAddress);
        thread = new Thread(() -> {
            try {
                ZMQ.proxy(xsub, xpub, null, controlReceiver);
            } finally {
                context.destroySocket(xsub);
                context.destroySocket(xpub);
                context.destroySocket(controlReceiver);
            }
        }, "backplane-hub");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Backplane hub: publish to {}, subscribe at {}", publishAddress, subscribeAddress);
    }

    private static void bind(ZMQ.Socket socket, String address, String role) {
        try {
            socket.bind(address);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot bind the hub's " + role + " socket to " + address
                                            + " (is another Backplane running? set backplane.bus.zeromq.*-port)", e);
        }
    }

    void stop() {
        if (control == null) {
            return;
        }
        control.send(ZMQ.PROXY_TERMINATE, 0);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.destroySocket(control);
        control = null;
    }
}
