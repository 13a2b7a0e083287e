package io.backplane.component.zeromq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * Sends on a PUB, PUSH, XPUB or REQ socket. ZeroMQ sockets are not thread-safe and a route may call a producer from
 * many threads at once, so every use of the socket happens under one lock. A REQ producer holds the lock for the
 * whole round trip: its requests are sent one at a time.
 */
public class ZeroMQProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(ZeroMQProducer.class);

    private final ZeroMQEndpoint endpoint;
    private final ZeroMQSocketType type;
    private final ReentrantLock lock = new ReentrantLock();
    private ZMQ.Socket socket;
    private String zapDomain;

    public ZeroMQProducer(ZeroMQEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.type = endpoint.getSocketType();
    }

    @Override
    public ZeroMQEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        lock.lock();
        try {
            zapDomain = endpoint.registerZapDomain();
            try {
                socket = endpoint.openSocket(zapDomain);
            } catch (RuntimeException e) {
                endpoint.releaseZapDomain(zapDomain);
                zapDomain = null;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void doStop() throws Exception {
        // a sender blocked at the high-water mark (sendTimeout=-1) holds the lock; don't wait for it forever, the
        // component closes the whole ZeroMQ context when it stops, which releases that sender
        if (lock.tryLock(5, TimeUnit.SECONDS)) {
            try {
                if (socket != null) {
                    socket.close(); // keeps unsent messages for `linger` ms, unlike ZContext.destroySocket
                    socket = null;
                    endpoint.awaitPortReleased();
                }
            } finally {
                lock.unlock();
            }
        } else {
            LOG.warn("ZeroMQ producer {} is still blocked in a send; its socket is closed with the component",
                     endpoint.getAddress());
        }
        endpoint.releaseZapDomain(zapDomain);
        zapDomain = null;
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        // JeroMQ queues the array itself (send does not copy): this producer never writes to or reuses an array it
        // has sent. A byte[] body is sent as is, so a route must not modify it after this step.
        byte[] body = message.getBody() == null ? new byte[0] : message.getMandatoryBody(byte[].class);
        byte[] topicFrame = null;
        if (type.isPublisher()) {
            String topic = message.getHeader(ZeroMQConstants.TOPIC, endpoint.getTopic(), String.class);
            if (topic != null) {
                topicFrame = topic.getBytes(StandardCharsets.UTF_8);
            }
        }
        lock.lock();
        try {
            if (socket == null) {
                throw new CamelExchangeException("ZeroMQ producer " + endpoint.getAddress() + " is not started",
                                                 exchange);
            }
            if (type == ZeroMQSocketType.XPUB) {
                // an XPUB also receives subscription messages; a producer has no use for them, drop them so they do
                // not pile up
                while (socket.recv(ZMQ.DONTWAIT) != null) {
                    // discard
                }
            }
            if (topicFrame != null) {
                // ZeroMQ delivers a multipart message whole or not at all: once the first frame is queued, the rest
                // of the message is too
                send(exchange, topicFrame, ZMQ.SNDMORE);
            }
            send(exchange, body, 0);
            if (type == ZeroMQSocketType.REQ) {
                receiveReply(exchange);
            }
        } finally {
            lock.unlock();
        }
    }

    private void send(Exchange exchange, byte[] frame, int flags) throws CamelExchangeException {
        if (!socket.send(frame, flags)) {
            throw new CamelExchangeException(
                    "ZeroMQ " + type + " could not send to " + endpoint.getAddress() + " within sendTimeout="
                                             + endpoint.getSendTimeout() + " ms (no peer, or peers at the "
                                             + "high-water mark)",
                    exchange);
        }
    }

    private void receiveReply(Exchange exchange) throws ExchangeTimedOutException {
        byte[] first = socket.recv(0);
        if (first == null) {
            // REQ_RELAXED lets the next request go out; REQ_CORRELATE drops this reply if it comes late
            throw new ExchangeTimedOutException(exchange, endpoint.getReceiveTimeout(),
                                                "no reply from " + endpoint.getAddress());
        }
        List<byte[]> frames = new ArrayList<>(2);
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        Message message = exchange.getMessage();
        message.setBody(frames.get(frames.size() - 1));
        if (frames.size() > 1) {
            message.setHeader(ZeroMQConstants.FRAMES, List.copyOf(frames));
        } else {
            message.removeHeader(ZeroMQConstants.FRAMES);
        }
    }
}
