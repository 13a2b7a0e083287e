package io.backplane.component.zeromq;

import org.zeromq.SocketType;

/**
 * The ZeroMQ socket types this component supports, and which side of a route each can be used on.
 */
public enum ZeroMQSocketType {

    PUB(SocketType.PUB, false, true),
    SUB(SocketType.SUB, true, false),
    PUSH(SocketType.PUSH, false, true),
    PULL(SocketType.PULL, true, false),
    /** Consumer: receives subscription messages (first byte 1 = subscribe, 0 = unsubscribe). Producer: like PUB. */
    XPUB(SocketType.XPUB, true, true),
    /** Consumer: like SUB (subscriptions are sent as messages). Not a producer. */
    XSUB(SocketType.XSUB, true, false),
    REQ(SocketType.REQ, false, true),
    REP(SocketType.REP, true, false);

    private final SocketType type;
    private final boolean consumer;
    private final boolean producer;

    ZeroMQSocketType(SocketType type, boolean consumer, boolean producer) {
        this.type = type;
        this.consumer = consumer;
        this.producer = producer;
    }

    public SocketType toJeroMQ() {
        return type;
    }

    public boolean canConsume() {
        return consumer;
    }

    public boolean canProduce() {
        return producer;
    }

    /** Socket types whose messages start with a topic frame that subscriptions filter on. */
    public boolean isSubscriber() {
        return this == SUB || this == XSUB;
    }

    /** Socket types that send [topic, payload] when a topic is given. */
    public boolean isPublisher() {
        return this == PUB || this == XPUB;
    }
}
