package io.backplane.component.bus;

import java.util.concurrent.CompletableFuture;

import io.backplane.core.Event;

/**
 * How events leave and reach this process. One instance per {@link Bus}: one connection, whatever the number of
 * routes. A transport delivers raw [tag, JSON] pairs to its listener; the bus parses them once and dispatches.
 */
interface BusTransport {

    interface Listener {
        void onMessage(String tag, byte[] json);
    }

    void start(Listener listener) throws Exception;

    /** Publishes one event; the future completes (possibly on another thread) once it is handed over or failed. */
    CompletableFuture<Void> publish(Event event);

    /** Asks for tags starting with this prefix (may be called for the same prefix more than once). */
    void subscribe(String prefix);

    void unsubscribe(String prefix);

    void stop();

    /** Connected: the hub answered our subscriptions / Kafka assigned us partitions. */
    boolean isReady();

    String describe();
}
