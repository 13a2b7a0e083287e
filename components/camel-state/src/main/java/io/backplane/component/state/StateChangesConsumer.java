package io.backplane.component.state;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

import io.backplane.core.Event;
import io.backplane.core.Events;
import io.backplane.core.Tags;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;

/**
 * {@code from: state:changes}: one event per change of a fact (under {@code prefix}), tagged
 * {@code state/<key segments>/set|deleted|expired}, delivered in order on the consumer's own thread, so a route that
 * reacts to a change does not slow the rule that made it. Nothing is dropped: when {@link #MAX_PENDING} changes wait
 * for delivery, writers wait for room (back-pressure) rather than lose changes or reorder them.
 */
public class StateChangesConsumer extends DefaultConsumer {

    /** Changes waiting for delivery before writers wait. */
    static final int MAX_PENDING = 1000;

    private final StateEndpoint endpoint;
    private final String prefix;
    private final Semaphore room = new Semaphore(MAX_PENDING);
    private volatile Thread worker;
    private final FactChange.Listener listener = this::onChange;
    private ExecutorService executor;
    private FactStore store;

    public StateChangesConsumer(StateEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.prefix = endpoint.getPrefix() == null ? "" : endpoint.getPrefix();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ThreadPoolProfile profile = new ThreadPoolProfile("state-changes");
        profile.setPoolSize(1);
        profile.setMaxPoolSize(1);
        // bounded by the semaphore instead, which waits rather than rejects (a full queue would run the delivery in
        // the writer's thread, out of order)
        profile.setMaxQueueSize(Integer.MAX_VALUE);
        executor = endpoint.getCamelContext().getExecutorServiceManager()
                .newThreadPool(this, "state-changes", profile);
        store = endpoint.getComponent().store();
        store.addListener(listener);
    }

    @Override
    protected void doStop() throws Exception {
        if (store != null) {
            store.removeListener(listener);
        }
        if (executor != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }

    private void onChange(FactChange change) {
        if (!change.key().startsWith(prefix)) {
            return;
        }
        Event event = toEvent(change);
        // a change made by this consumer's own route must not wait for room its own thread would make
        boolean own = Thread.currentThread() == worker;
        try {
            if (!own) {
                room.acquire();
            }
            executor.execute(() -> {
                worker = Thread.currentThread();
                try {
                    deliver(event);
                } finally {
                    if (!own) {
                        room.release();
                    }
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RejectedExecutionException | NullPointerException stopping) {
            // the consumer is stopping; the change itself is stored
            if (!own) {
                room.release();
            }
        }
    }

    /** {@code state/maintenance/web01/set}: each key segment made tag-safe with {@link Tags#segment}. */
    static Event toEvent(FactChange change) {
        StringBuilder tag = new StringBuilder("state");
        for (String segment : change.key().split("/", -1)) {
            tag.append('/').append(Tags.segment(segment));
        }
        tag.append('/').append(change.kind().word());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("key", change.key());
        data.put("op", change.kind().word());
        data.put("value", change.fact().value());
        if (change.previous() != null) {
            data.put("previous", change.previous().value());
        }
        if (change.fact().expires() != 0) {
            data.put("expires", change.fact().expiresText());
        }
        return Event.builder(tag.toString()).source("backplane/state").subject(change.key()).data(data).build();
    }

    private void deliver(Event event) {
        Exchange exchange = createExchange(false);
        try {
            Events.toMessage(event, exchange.getMessage());
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing " + event.type(), exchange,
                    exchange.getException());
        }
        releaseExchange(exchange, false);
    }
}
