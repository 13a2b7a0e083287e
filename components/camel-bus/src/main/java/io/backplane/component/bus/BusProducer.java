package io.backplane.component.bus;

import java.util.concurrent.CompletableFuture;

import io.backplane.core.Event;
import io.backplane.core.Events;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Publishes the exchange's event. Afterwards the body is the published {@link Event} (with its headers), so the
 * route can log or reuse it.
 */
public class BusProducer extends DefaultAsyncProducer {

    public BusProducer(BusEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public BusEndpoint getEndpoint() {
        return (BusEndpoint) super.getEndpoint();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Event event;
        CompletableFuture<Void> sent;
        Bus bus = getEndpoint().getComponent().bus();
        try {
            event = Events.fromExchange(exchange, bus.codec(), getEndpoint().getTag());
            sent = bus.publish(event);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (sent.isDone()) {
            complete(exchange, event, sent);
            callback.done(true);
            return true;
        }
        sent.whenCompleteAsync((ok, failure) -> {
            complete(exchange, event, sent);
            callback.done(false);
        }, getEndpoint().getComponent().completions());
        return false;
    }

    private static void complete(Exchange exchange, Event event, CompletableFuture<Void> sent) {
        try {
            sent.join();
            Events.toMessage(event, exchange.getMessage());
        } catch (Exception e) {
            exchange.setException(e.getCause() != null ? e.getCause() : e);
        }
    }
}
