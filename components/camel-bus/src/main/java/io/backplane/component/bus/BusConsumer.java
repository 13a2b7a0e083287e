package io.backplane.component.bus;

import io.backplane.core.Event;
import io.backplane.core.Events;
import io.backplane.core.TagGlob;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * A route's subscription to the bus. It owns no socket and no thread: it registers its glob with the process's
 * {@link Bus}, which calls {@link #deliver} on its dispatch thread for every matching event.
 */
public class BusConsumer extends DefaultConsumer {

    private final TagGlob glob;

    public BusConsumer(BusEndpoint endpoint, Processor processor, TagGlob glob) {
        super(endpoint, processor);
        this.glob = glob;
    }

    @Override
    public BusEndpoint getEndpoint() {
        return (BusEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().getComponent().bus().register(glob, this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().bus().unregister(glob, this);
        super.doStop();
    }

    /** Runs the route for one event; the event is shared read-only with every other matching route. */
    void deliver(Event event) {
        Exchange exchange = createExchange(false);
        try {
            Events.toMessage(event, exchange.getMessage());
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing bus event " + event.id() + " (" + event.type()
                                                  + ")", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }
}
