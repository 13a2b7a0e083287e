package io.backplane.component.beacon;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.backplane.core.Event;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.awaitility.Awaitility.await;

/** One plain Camel context per test; beacons read this machine through OSHI. */
abstract class BeaconTestSupport {

    /** Generous: the machine is shared and loaded; readings normally arrive within a second. */
    static final Duration WAIT = Duration.ofSeconds(20);

    protected DefaultCamelContext context;
    protected final BlockingQueue<Exchange> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    protected void start(RoutesBuilder... routes) throws Exception {
        for (RoutesBuilder r : routes) {
            context.addRoutes(r);
        }
        context.start();
    }

    /** A route from the beacon URI into {@link #received}. */
    protected RouteBuilder collect(String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(received::add);
            }
        };
    }

    /** Waits for the next exchange and returns its event. */
    protected Event next() throws InterruptedException {
        await().atMost(WAIT).until(() -> !received.isEmpty());
        return received.take().getMessage().getBody(Event.class);
    }

    /** Waits until {@code count} exchanges have arrived and returns their events, oldest first. */
    protected List<Event> events(int count) {
        await().atMost(WAIT).until(() -> received.size() >= count);
        return received.stream().limit(count).map(e -> e.getMessage().getBody(Event.class)).toList();
    }

    static double value(Event event) {
        return ((Number) event.data().get("value")).doubleValue();
    }

    static Map<String, Object> data(Event event) {
        return event.data();
    }
}
