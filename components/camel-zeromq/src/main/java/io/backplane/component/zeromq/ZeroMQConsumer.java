package io.backplane.component.zeromq;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.backplane.core.zmq.ZmqReceiver;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.zeromq.ZMQ;

/**
 * Receives from a SUB, PULL, XSUB, XPUB or REP socket. The socket and the one thread allowed to use it belong to a
 * {@link ZmqReceiver}, which blocks in a poll until a message arrives; each message is routed synchronously on that
 * thread, so messages from one socket are processed in order, one at a time.
 */
public class ZeroMQConsumer extends DefaultConsumer {

    /** A REP socket must answer every request before it can receive the next one; this is the answer on failure. */
    private static final byte[][] EMPTY_REPLY = { new byte[0] };

    private final ZeroMQEndpoint endpoint;
    private final boolean reply;
    private final boolean subscriber;
    private ZmqReceiver receiver;
    private String zapDomain;

    public ZeroMQConsumer(ZeroMQEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.reply = endpoint.getSocketType() == ZeroMQSocketType.REP;
        this.subscriber = endpoint.getSocketType().isSubscriber();
    }

    @Override
    public ZeroMQEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        zapDomain = endpoint.registerZapDomain();
        try {
            ZMQ.Socket socket = endpoint.openSocket(zapDomain);
            receiver = new ZmqReceiver(endpoint.getZContext(), socket,
                                       "zeromq-" + endpoint.getSocketType() + "-" + endpoint.getAddress(),
                                       this::onMessage,
                                       e -> getExceptionHandler().handleException("Error receiving from ZeroMQ", e))
                    .start();
        } catch (RuntimeException e) {
            endpoint.releaseZapDomain(zapDomain);
            zapDomain = null;
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (receiver != null) {
            receiver.stop(); // closes the socket on the receiver's thread and waits for the thread to end
            receiver = null;
            endpoint.awaitPortReleased();
        }
        endpoint.releaseZapDomain(zapDomain);
        zapDomain = null;
        super.doStop();
    }

    /** Called on the receiver's thread for each message; returns the reply for REP, else null. Never throws. */
    private byte[][] onMessage(byte[][] frames) {
        Exchange exchange = createExchange(false);
        try {
            Message in = exchange.getIn();
            in.setBody(frames[frames.length - 1]);
            if (frames.length > 1) {
                in.setHeader(ZeroMQConstants.FRAMES, List.of(frames));
                if (subscriber) {
                    in.setHeader(ZeroMQConstants.TOPIC, new String(frames[0], StandardCharsets.UTF_8));
                }
            }
            if (reply) {
                exchange.setPattern(ExchangePattern.InOut);
            }
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing ZeroMQ message", exchange,
                                                      exchange.getException());
                return reply ? EMPTY_REPLY : null;
            }
            if (!reply) {
                return null;
            }
            byte[] body = exchange.getMessage().getBody(byte[].class);
            return new byte[][] { body != null ? body : new byte[0] };
        } catch (Exception e) {
            getExceptionHandler().handleException("Error processing ZeroMQ message", exchange, e);
            return reply ? EMPTY_REPLY : null;
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
