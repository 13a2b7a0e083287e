package io.backplane.component.bus;

import java.nio.charset.StandardCharsets;

import io.backplane.core.zmq.ZmqSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;
import zmq.SocketBase;

/**
 * The embedded ZeroMQ hub: an XSUB socket that emitters publish to and an XPUB socket that subscribers read from,
 * forwarded by one thread. The hub subscribes to everything upstream (publishers send it every event) and its XPUB
 * side sends each subscriber only the tags under the prefixes it subscribed to.
 * <p>
 * Both sockets are also bound in-process ({@code inproc://}), so this process's own bus connection skips TCP.
 * The forwarding loop is ours rather than {@code ZMQ.proxy}: it polls once per burst and forwards up to
 * {@link #BATCH} messages per wake-up as they are (no copy), which is several times faster in JeroMQ 0.6.
 */
final class Hub {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    private static final int BATCH = 1000;
    private static final byte[] STOP = { 0 };

    private final ZContext context;
    private final String publishAddress;
    private final String subscribeAddress;
    private final String inprocPublish;
    private final String inprocSubscribe;
    private final int highWaterMark;
    private final BusTransport.Listener local;
    private ZMQ.Socket control;
    private Thread thread;

    /** @param local gets every [tag, event] message on the hub's thread (this process's routes) */
    Hub(ZContext context, String publishAddress, String subscribeAddress, int highWaterMark,
        BusTransport.Listener local) {
        this.local = local;
        this.context = context;
        this.publishAddress = publishAddress;
        this.subscribeAddress = subscribeAddress;
        String id = Integer.toHexString(System.identityHashCode(this));
        this.inprocPublish = "inproc://backplane-hub-publish-" + id;
        this.inprocSubscribe = "inproc://backplane-hub-subscribe-" + id;
        this.highWaterMark = highWaterMark;
    }

    /** Where this process's own publisher connects (in-process). */
    String inprocPublishAddress() {
        return inprocPublish;
    }

    /** Where this process's own subscriber connects (in-process). */
    String inprocSubscribeAddress() {
        return inprocSubscribe;
    }

    void start() {
        ZMQ.Socket xsub = context.createSocket(SocketType.XSUB);
        ZMQ.Socket xpub = context.createSocket(SocketType.XPUB);
        String controlAddress = "inproc://backplane-hub-control-" + Integer.toHexString(System.identityHashCode(this));
        ZMQ.Socket controlReceiver = context.createSocket(SocketType.PAIR);
        try {
            for (ZMQ.Socket s : new ZMQ.Socket[] { xsub, xpub }) {
                s.setRcvHWM(highWaterMark);
                s.setSndHWM(highWaterMark);
                s.setLinger(0);
                s.setHandshakeIvl(ZmqSettings.HANDSHAKE_MILLIS);
            }
            bind(xsub, publishAddress, "publish");
            bind(xpub, subscribeAddress, "subscribe");
            xsub.bind(inprocPublish);
            xpub.bind(inprocSubscribe);
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
                forwardUntilStopped(xsub, xpub, controlReceiver);
            } catch (RuntimeException e) {
                LOG.error("Backplane hub stopped forwarding", e);
            } finally {
                context.destroySocket(xsub);
                context.destroySocket(xpub);
                context.destroySocket(controlReceiver);
            }
        }, "backplane-bus-hub");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Backplane hub: publish to {}, subscribe at {}", publishAddress, subscribeAddress);
    }

    private void forwardUntilStopped(ZMQ.Socket xsub, ZMQ.Socket xpub, ZMQ.Socket controlReceiver) {
        ZMQ.Poller poller = context.createPoller(3);
        int events = poller.register(xsub, ZMQ.Poller.POLLIN);
        int subscriptions = poller.register(xpub, ZMQ.Poller.POLLIN);
        int stop = poller.register(controlReceiver, ZMQ.Poller.POLLIN);
        try {
            while (poller.poll(-1) >= 0) {
                if (poller.pollin(stop)) {
                    return;
                }
                if (poller.pollin(subscriptions)) {
                    forward(xpub, xsub);
                }
                if (poller.pollin(events)) {
                    forwardEvents(xsub, xpub);
                }
            }
        } finally {
            poller.close();
        }
    }

    /**
     * Like {@link #forward}, for events: each [tag, event] message also goes to this process's routes, after it
     * has been handed to the external subscribers.
     */
    private void forwardEvents(ZMQ.Socket from, ZMQ.Socket to) {
        SocketBase in = from.base();
        SocketBase out = to.base();
        for (int i = 0; i < BATCH; i++) {
            Msg tag = in.recv(ZMQ.DONTWAIT);
            if (tag == null) {
                return;
            }
            if (!from.hasReceiveMore()) {
                out.send(tag, 0);
                continue;
            }
            Msg event = in.recv(0);
            if (event == null) {
                return;
            }
            boolean more = from.hasReceiveMore();
            byte[] tagBytes = tag.data();
            byte[] json = event.data();
            out.send(tag, ZMQ.SNDMORE);
            out.send(event, more ? ZMQ.SNDMORE : 0);
            while (more) { // not a [tag, event] pair: forward the rest, do not dispatch
                Msg part = in.recv(0);
                if (part == null) {
                    return;
                }
                more = from.hasReceiveMore();
                out.send(part, more ? ZMQ.SNDMORE : 0);
                json = null;
            }
            if (json != null) {
                try {
                    local.onMessage(new String(tagBytes, StandardCharsets.UTF_8), json);
                } catch (RuntimeException e) {
                    LOG.warn("bus dispatch failed", e);
                }
            } else {
                LOG.warn("dropped a bus message of more than 2 frames: expected [tag, event]");
            }
        }
    }

    /**
     * Moves up to BATCH whole (multipart) messages from one socket to the other without copying them. "More" is
     * the socket's receive-more state: a received Msg's own flag is not reliable in JeroMQ.
     */
    private static void forward(ZMQ.Socket from, ZMQ.Socket to) {
        SocketBase in = from.base();
        SocketBase out = to.base();
        for (int i = 0; i < BATCH; i++) {
            Msg msg = in.recv(ZMQ.DONTWAIT);
            if (msg == null) {
                return;
            }
            boolean more = from.hasReceiveMore();
            out.send(msg, more ? ZMQ.SNDMORE : 0);
            while (more) {
                msg = in.recv(0);
                if (msg == null) {
                    return;
                }
                more = from.hasReceiveMore();
                out.send(msg, more ? ZMQ.SNDMORE : 0);
            }
        }
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
        control.send(STOP, 0);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.destroySocket(control);
        control = null;
    }
}
