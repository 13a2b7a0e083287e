package io.backplane.component.beacon;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.backplane.core.Event;
import io.backplane.core.Events;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * Reads the endpoint's metric every interval (on the component's shared scheduler) and emits one exchange per event
 * its filters let through: body = the {@link Event}, headers = the CloudEvents headers plus the beacon headers.
 */
public class BeaconConsumer extends ScheduledPollConsumer {

    private final BeaconEndpoint endpoint;
    /** One filter per series (mount point, process name, or "" for host-wide metrics). */
    private final Map<String, BeaconFilter> filters = new HashMap<>();
    private MetricReader reader;

    public BeaconConsumer(BeaconEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        setDelay(endpoint.getInterval());
        setInitialDelay(endpoint.getInitialDelay());
        setTimeUnit(TimeUnit.MILLISECONDS);
        // a slow route must not make readings pile up: the next one is an interval after the last finished
        setUseFixedDelay(true);
    }

    /** For tests: the reader to use instead of OSHI. */
    BeaconConsumer withReader(MetricReader reader) {
        this.reader = reader;
        return this;
    }

    @Override
    protected void doStart() throws Exception {
        BeaconComponent component = endpoint.getComponent();
        if (reader == null) {
            reader = OshiReaders.create(endpoint, component.systemInfo());
        }
        // fails the route start with a message naming the metric or mount point
        reader.start();
        filters.clear();
        setScheduledExecutorService(component.scheduler());
        super.doStart();
    }

    @Override
    protected int poll() throws Exception {
        List<MetricReader.Reading> readings = reader.read();
        Set<String> seen = new HashSet<>();
        int emitted = 0;
        for (MetricReader.Reading reading : readings) {
            seen.add(reading.key());
            BeaconFilter.Decision decision = filters.computeIfAbsent(reading.key(), k -> endpoint.newFilter())
                    .offer(reading.value());
            if (decision != null) {
                emit(endpoint.event(reading, decision), decision);
                emitted++;
            }
        }
        // a file system that went away starts afresh (with an initial event) if it comes back
        filters.keySet().retainAll(seen);
        return emitted;
    }

    private void emit(Event event, BeaconFilter.Decision decision) {
        Exchange exchange = createExchange(false);
        try {
            Events.toMessage(event, exchange.getMessage());
            exchange.getMessage().setHeader(BeaconConstants.METRIC, endpoint.metric().id());
            exchange.getMessage().setHeader(BeaconConstants.REASON, decision.reason());
            if (decision.state() != null) {
                exchange.getMessage().setHeader(BeaconConstants.STATE, decision.state());
            }
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing beacon event " + event.type(), exchange,
                    exchange.getException());
        }
        releaseExchange(exchange, false);
    }
}
