package io.backplane.component.dedupe;

import io.backplane.core.KeyReader;
import io.backplane.core.Event;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/** Decides for each event whether it passes, and stops the exchange when it does not. */
public class DedupeProducer extends DefaultProducer {

    private final KeyReader keyReader;
    private DedupeState state;

    DedupeProducer(DedupeEndpoint endpoint, KeyReader keyReader) {
        super(endpoint);
        this.keyReader = keyReader;
    }

    @Override
    public DedupeEndpoint getEndpoint() {
        return (DedupeEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        state = getEndpoint().getComponent().acquire(getEndpoint());
    }

    @Override
    protected void doStop() throws Exception {
        if (state != null) {
            getEndpoint().getComponent().release(state);
            state = null;
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) {
        DedupeEndpoint endpoint = getEndpoint();
        String key = keyReader.read(exchange);
        if (key == null) {
            state.countMissingKey();
            throw new IllegalArgumentException("dedupe:" + endpoint.getName() + ": the event has no key at '"
                                               + keyReader + "'" + describe(exchange));
        }
        Event event = null;
        if (state.mode == DedupeMode.debounce) {
            // held for later: keep the event itself, not the exchange
            event = exchange.getContext().getTypeConverter().tryConvertTo(Event.class, exchange,
                    exchange.getMessage().getBody());
            if (event == null) {
                throw new IllegalArgumentException("dedupe:" + endpoint.getName() + ": debounce holds events, but the "
                                                   + "body is not one" + describe(exchange));
            }
        }
        DedupeState.Decision d = state.offer(key, event, endpoint.getComponent().getClock().millis());
        Message message = exchange.getMessage();
        message.setHeader(DedupeConstants.KEY, key);
        message.setHeader(DedupeConstants.SUPPRESSED, !d.pass());
        message.setHeader(DedupeConstants.COUNT, d.count());
        if (!d.pass() && endpoint.isStopOnSuppress()) {
            exchange.setRouteStop(true);
        }
    }

    private static String describe(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        return body instanceof Event e ? " (event " + e.id() + ", " + e.type() + ")" : "";
    }
}
