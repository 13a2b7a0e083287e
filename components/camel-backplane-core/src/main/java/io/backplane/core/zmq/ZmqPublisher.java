package io.backplane.core.zmq;

import java.time.Duration;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Publishes [tag, payload] messages to a ZeroMQ forwarder (the Backplane hub's XSUB side), safely from many threads.
 * <p>
 * It is an XPUB socket rather than a PUB: a PUB drops what it sends before the peer's subscription has arrived, so a
 * short-lived emitter would lose its only event. XPUB lets us see that subscription and wait for it once.
 */
public final class ZmqPublisher implements AutoCloseable {

    static final int LINGER_MILLIS = 2000;

    private final ZContext context;
    private final boolean ownsContext;
    private final ZMQ.Socket socket;
    private final Duration connectTimeout;
    private boolean ready;

    public ZmqPublisher(String address, int sendHighWaterMark, Duration connectTimeout) {
        this(lingeringContext(), true, address, sendHighWaterMark, connectTimeout);
    }

    /**
     * ZContext closes its sockets with the context's linger, not the socket's (0 by default): an emitter that exits
     * right after emitting would drop what is still queued. Give queued events this long to leave.
     */
    private static ZContext lingeringContext() {
        ZContext context = new ZContext(1);
        context.setLinger(LINGER_MILLIS);
        return context;
    }

    public ZmqPublisher(ZContext context, String address, int sendHighWaterMark, Duration connectTimeout) {
        this(context, false, address, sendHighWaterMark, connectTimeout);
    }

    private ZmqPublisher(ZContext context, boolean ownsContext, String address, int sendHighWaterMark,
                         Duration connectTimeout) {
        this.context = context;
        this.ownsContext = ownsContext;
        this.connectTimeout = connectTimeout;
        this.socket = context.createSocket(SocketType.XPUB);
        socket.setSndHWM(sendHighWaterMark);
        socket.setLinger(LINGER_MILLIS);
        socket.setReconnectIVL(100);
        socket.setReconnectIVLMax(2000);
        socket.setHandshakeIvl(ZmqSettings.HANDSHAKE_MILLIS);
        socket.connect(address);
    }

    /**
     * Sends one message. The first call waits (up to the connect timeout) until the hub has subscribed, so an
     * emitter that starts before the hub, or just before it, still delivers.
     *
     * @throws IllegalStateException when no hub answered within the connect timeout
     */
    public synchronized void send(byte[] tag, byte[] payload) {
        awaitSubscriber();
        socket.send(tag, ZMQ.SNDMORE);
        socket.send(payload, 0);
    }

    /** Waits until the hub has subscribed; returns false on timeout. */
    public synchronized boolean awaitSubscriber(Duration timeout) {
        if (ready) {
            return true;
        }
        socket.setReceiveTimeOut((int) Math.max(1, timeout.toMillis()));
        byte[] subscription = socket.recv(0);
        if (subscription != null) {
            ready = true;
        }
        return ready;
    }

    private void awaitSubscriber() {
        if (!awaitSubscriber(connectTimeout)) {
            throw new IllegalStateException("no Backplane hub subscribed within " + connectTimeout.toMillis()
                                            + " ms: is the hub running and the address right?");
        }
    }

    @Override
    public synchronized void close() {
        context.destroySocket(socket);
        if (ownsContext) {
            context.close();
        }
    }
}
