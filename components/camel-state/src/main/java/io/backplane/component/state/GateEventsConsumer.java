package io.backplane.component.state;

import io.backplane.core.Event;
import io.backplane.core.Events;
import io.backplane.gate.GateService;
import io.backplane.gate.GateStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * {@code from: state:gates}: one event {@code gate/<name>/open|closed} each time a gate flips (of the gate named by
 * {@code gate}, or of every gate), delivered on the gates' thread in the order the flips happened.
 */
public class GateEventsConsumer extends DefaultConsumer {

    private final StateEndpoint endpoint;
    private final GateService.Listener listener = this::onFlip;
    private GateService gates;

    public GateEventsConsumer(StateEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        gates = endpoint.getComponent().gateService();
        String name = endpoint.getGate();
        if (name != null && gates.gates().get(name) == null) {
            throw new IllegalArgumentException("state:gates: no gate named '" + name + "' in "
                                               + gates.gates().source() + " (gates: " + gates.gates().names() + ")");
        }
        gates.addListener(listener);
    }

    @Override
    protected void doStop() throws Exception {
        if (gates != null) {
            gates.removeListener(listener);
        }
        super.doStop();
    }

    private void onFlip(GateStatus status, String cause) {
        if (endpoint.getGate() != null && !endpoint.getGate().equals(status.gate())) {
            return;
        }
        Event event = status.toEvent(cause);
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
