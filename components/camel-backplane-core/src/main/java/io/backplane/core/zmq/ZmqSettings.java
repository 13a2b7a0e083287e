package io.backplane.core.zmq;

/** Socket settings every Backplane ZeroMQ socket shares. */
public final class ZmqSettings {

    /**
     * ZMTP handshake deadline. JeroMQ 0.6.0 sometimes leaves a new connection stuck before its handshake until this
     * timer drops and redials it (30 s by default); one second keeps that rare stall short.
     */
    public static final int HANDSHAKE_MILLIS = 1000;

    private ZmqSettings() {
    }
}
