package io.backplane.component.dedupe;

import io.backplane.core.Events;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Receives the debounced events of its name: the last event of a key, once the key was quiet. Runs the route on the
 * component's timer thread.
 */
public class DedupeConsumer extends DefaultConsumer {

    public DedupeConsumer(DedupeEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public DedupeEndpoint getEndpoint() {
        return (DedupeEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().getComponent().register(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().unregister(this);
        super.doStop();
    }

    void emit(DedupeState.Pending p) {
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            Events.toMessage(p.event, message);
            message.setHeader(DedupeConstants.KEY, p.key);
            message.setHeader(DedupeConstants.COUNT, p.count);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing debounced event of key " + p.key, exchange,
                    exchange.getException());
        }
        releaseExchange(exchange, false);
    }
}
