package io.backplane.core.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.backplane.core.Event;

/**
 * Puts an application's own events on the Backplane bus in one line: {@code emitter.emit("app/shop/client-load",
 * "web01", Map.of("load", 0.93))}. Two ways to reach the bus: ZeroMQ straight to the hub (fastest, fire and forget)
 * or HTTP to the ingest (acknowledged, passes firewalls and tokens).
 */
public interface Emitter extends AutoCloseable {

    String DEFAULT_ZEROMQ_ADDRESS = "tcp://127.0.0.1:7781";
    String DEFAULT_HTTP_URL = "http://127.0.0.1:8080/events";

    /** Emits a new event and returns its id. */
    default String emit(String tag, String subject, Map<String, ?> data) {
        Event event = Event.builder(tag).subject(subject).data(data).source(source()).build();
        emit(event);
        return event.id();
    }

    void emit(Event event);

    /** The {@code source} attribute of the events this emitter makes. */
    String source();

    @Override
    void close();

    /** An emitter publishing to the hub's publish address over ZeroMQ. */
    static Emitter zeromq(String address, String source) {
        return zeromq(address, source, Duration.ofSeconds(5));
    }

    /** As {@link #zeromq(String, String)}, waiting at most {@code timeout} for the hub on the first emit. */
    static Emitter zeromq(String address, String source, Duration timeout) {
        return new ZeroMqEmitter(address, source, timeout);
    }

    /** An emitter posting to the HTTP ingest; {@code token} may be null when the ingest has none. */
    static Emitter http(URI url, String token, String source) {
        return http(url, token, source, Duration.ofSeconds(10));
    }

    static Emitter http(URI url, String token, String source, Duration timeout) {
        return new HttpEmitter(url, token, source, timeout);
    }
}
