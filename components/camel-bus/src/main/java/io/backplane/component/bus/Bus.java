package io.backplane.component.bus;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.InvalidEventException;
import io.backplane.core.TagGlob;
import io.backplane.core.TagTrie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one bus connection: one transport, and a trie from tag globs to the routes that want them. Each
 * incoming event is looked up by tag first, parsed only if some route wants it, and parsed once for all of them.
 */
final class Bus implements BusTransport.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

    private final BusTransport transport;
    private final EventCodec codec;
    private final TagTrie<BusConsumer> routes = new TagTrie<>();
    final LongAdder received = new LongAdder();
    final LongAdder dispatched = new LongAdder();
    final LongAdder invalid = new LongAdder();

    Bus(BusTransport transport, EventCodec codec) {
        this.transport = transport;
        this.codec = codec;
    }

    void start() throws Exception {
        transport.start(this);
        LOG.info("Backplane bus started: {}", transport.describe());
    }

    void stop() {
        transport.stop();
    }

    void register(TagGlob glob, BusConsumer consumer) {
        routes.add(glob, consumer);
        transport.subscribe(glob.literalPrefix());
    }

    void unregister(TagGlob glob, BusConsumer consumer) {
        if (routes.remove(glob, consumer)) {
            transport.unsubscribe(glob.literalPrefix());
        }
    }

    CompletableFuture<Void> publish(Event event) {
        codec.checkSize(event.toJson().length);
        return transport.publish(event);
    }

    boolean isReady() {
        return transport.isReady();
    }

    String describe() {
        return transport.describe();
    }

    EventCodec codec() {
        return codec;
    }

    @Override
    public void onMessage(String tag, byte[] json) {
        received.increment();
        List<BusConsumer> targets;
        Event event;
        try {
            targets = routes.match(tag);
            if (targets.isEmpty()) {
                return;
            }
            event = codec.parse(json);
            if (!event.type().equals(tag)) {
                throw new InvalidEventException("message tag '" + tag + "' is not the event's type '" + event.type()
                                                + "'");
            }
        } catch (InvalidEventException e) {
            invalid.increment();
            LOG.warn("dropped an invalid event from the bus: {}", e.getMessage());
            return;
        }
        for (BusConsumer consumer : targets) {
            dispatched.increment();
            consumer.deliver(event);
        }
    }
}
