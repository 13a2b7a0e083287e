package io.backplane.core.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.backplane.core.Event;
import io.backplane.core.zmq.ZmqPublisher;

final class ZeroMqEmitter implements Emitter {

    private final ZmqPublisher publisher;
    private final String source;

    ZeroMqEmitter(String address, String source, Duration connectTimeout) {
        this.publisher = new ZmqPublisher(address, 100_000, connectTimeout);
        this.source = source;
    }

    @Override
    public void emit(Event event) {
        publisher.send(event.type().getBytes(StandardCharsets.UTF_8), event.toJson());
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public void close() {
        publisher.close();
    }
}
