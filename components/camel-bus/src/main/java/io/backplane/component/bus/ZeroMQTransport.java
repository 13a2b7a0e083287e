package io.backplane.component.bus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.backplane.core.Event;
import io.backplane.core.zmq.ZmqPublisher;
import io.backplane.core.zmq.ZmqReceiver;
import io.backplane.core.zmq.ZmqSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The ZeroMQ transport. With the embedded hub (the default), the hub's thread hands each incoming event to this
 * process's routes itself and this process's producers reach it in-process. Connected to a hub in another process
 * ({@code embeddedHub=false}), it holds one publisher for every producer and one SUB socket for every consumer, with
 * each consumer's literal tag prefix pushed down as a ZeroMQ subscription.
 */
final class ZeroMQTransport implements BusTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ZeroMQTransport.class);
    /** Ping topics start with a byte no tag can hold, so they never reach a route. */
    private static final String PING_PREFIX = "\u0000ping/";

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final BusComponent config;
    private final ZContext context = new ZContext(1);
    private final Map<String, Integer> prefixes = new HashMap<>();
    private final String pingPrefix = PING_PREFIX + UUID.randomUUID() + "/";
    private int pingRound;
    private volatile String pingTopic;
    private volatile CountDownLatch pingSeen;
    private volatile boolean ready;
    private Hub hub;
    private ZmqPublisher publisher;
    private ZmqReceiver receiver;

    ZeroMQTransport(BusComponent config) {
        this.config = config;
        // sockets are closed with the context's linger: let what producers queued leave at stop (at most 1 s)
        context.setLinger(1000);
    }

    private String address(int port) {
        return "tcp://" + config.getHost() + ":" + port;
    }

    @Override
    public void start(Listener listener) {
        String publishTo = address(config.getPublishPort());
        String subscribeTo = address(config.getSubscribePort());
        if (config.isEmbeddedHub()) {
            // The hub's own thread dispatches to this process's routes (one hop fewer than a SUB socket and its
            // thread; the trie filters more exactly than prefix subscriptions), and our producers reach it in-process.
            hub = new Hub(context, publishTo, subscribeTo, config.getHighWaterMark(), (tag, json) -> {
                if (!tag.startsWith(PING_PREFIX)) {
                    listener.onMessage(tag, json);
                }
            });
            hub.start();
            publisher = new ZmqPublisher(context, hub.inprocPublishAddress(), config.getHighWaterMark(),
                    Duration.ofMillis(config.getConnectTimeout()));
            ready = publisher.awaitSubscriber(Duration.ofMillis(config.getConnectTimeout()));
            return;
        }
        publisher = new ZmqPublisher(context, publishTo, config.getHighWaterMark(),
                Duration.ofMillis(config.getConnectTimeout()));
        ZMQ.Socket sub = context.createSocket(SocketType.SUB);
        sub.setRcvHWM(config.getHighWaterMark());
        sub.setLinger(0);
        sub.setReconnectIVL(100);
        sub.setReconnectIVLMax(2000);
        sub.setHandshakeIvl(ZmqSettings.HANDSHAKE_MILLIS);
        sub.connect(subscribeTo);
        receiver = new ZmqReceiver(context, sub, "backplane-bus-zeromq", frames -> {
            if (frames.length != 2) {
                LOG.warn("dropped a bus message of {} frames: expected [tag, event]", frames.length);
                return null;
            }
            String tag = new String(frames[0], StandardCharsets.UTF_8);
            if (tag.startsWith(PING_PREFIX)) {
                CountDownLatch seen = pingSeen;
                if (seen != null && tag.equals(pingTopic)) {
                    seen.countDown();
                }
                return null;
            }
            listener.onMessage(tag, frames[1]);
            return null;
        }, e -> LOG.warn("bus dispatch failed", e)).start();
        if (!publisher.awaitSubscriber(Duration.ofMillis(config.getConnectTimeout()))) {
            LOG.warn("no Backplane hub at {} yet; events published before it comes up are lost",
                    address(config.getPublishPort()));
        }
        sync();
    }

    /**
     * Waits until our subscriptions so far have reached the hub: subscribes to a new ping topic (after them, on the
     * same socket, so its subscription travels behind theirs on the same pipe), publishes pings on it until one
     * comes back, then drops it. A ping of an earlier round cannot confirm this one.
     */
    private synchronized void sync() {
        String topic = pingPrefix + (++pingRound);
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        CountDownLatch seen = new CountDownLatch(1);
        pingTopic = topic;
        pingSeen = seen;
        receiver.withSocket(s -> s.subscribe(topicBytes));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.getConnectTimeout());
        try {
            while (System.nanoTime() < deadline) {
                try {
                    publisher.send(topicBytes, new byte[0]);
                } catch (IllegalStateException e) {
                    break; // no hub: already logged
                }
                if (seen.await(10, TimeUnit.MILLISECONDS)) {
                    ready = true;
                    return;
                }
            }
            ready = false;
            LOG.warn("bus subscriptions not confirmed by the hub within {} ms", config.getConnectTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pingSeen = null;
            receiver.withSocket(s -> s.unsubscribe(topicBytes));
        }
    }

    @Override
    public CompletableFuture<Void> publish(Event event) {
        try {
            publisher.send(event.type().getBytes(StandardCharsets.UTF_8), event.toJson());
            return DONE;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized void subscribe(String prefix) {
        if (receiver == null) {
            return; // embedded hub: it dispatches through the bus's trie itself
        }
        if (prefixes.merge(prefix, 1, Integer::sum) == 1) {
            byte[] topic = prefix.getBytes(StandardCharsets.UTF_8);
            receiver.withSocket(s -> s.subscribe(topic));
            sync();
        }
    }

    @Override
    public synchronized void unsubscribe(String prefix) {
        if (receiver == null) {
            return;
        }
        Integer count = prefixes.get(prefix);
        if (count == null) {
            return;
        }
        if (count == 1) {
            prefixes.remove(prefix);
            byte[] topic = prefix.getBytes(StandardCharsets.UTF_8);
            receiver.withSocket(s -> s.unsubscribe(topic));
        } else {
            prefixes.put(prefix, count - 1);
        }
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.stop();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (hub != null) {
            hub.stop();
        }
        context.close();
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public String describe() {
        return "zeromq " + (config.isEmbeddedHub() ? "embedded hub" : "hub") + " at " + config.getHost()
               + " publish port " + config.getPublishPort() + ", subscribe port " + config.getSubscribePort();
    }
}
