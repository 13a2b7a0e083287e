package io.backplane.component.dedupe;

import io.backplane.test.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * One Camel context per test with a dedupe component on a hand-moved clock. Its timer ticks only once an hour, so
 * tests run timer passes themselves with {@link #tick()} and nothing happens behind their back.
 */
abstract class DedupeTestSupport {

    static final Duration WAIT = Duration.ofSeconds(20);

    protected DefaultCamelContext context;
    protected ProducerTemplate template;
    protected final MutableClock clock = new MutableClock();
    protected DedupeComponent dedupe;

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
        dedupe = new DedupeComponent();
        dedupe.setClock(clock);
        dedupe.setTickInterval(3_600_000);
        context.addComponent("dedupe", dedupe);
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
        template = context.createProducerTemplate();
    }

    protected void tick() {
        dedupe.tick();
    }

    static Event event(String tag, String subject) {
        return Event.builder(tag).subject(subject).data(Map.of("n", 1)).build();
    }

    static Event event(String tag, String subject, int n) {
        return Event.builder(tag).subject(subject).data(Map.of("n", n)).build();
    }

    protected MockEndpoint mock(String name) {
        return context.getEndpoint("mock:" + name, MockEndpoint.class);
    }

    /** The events a mock received, in order. */
    static List<Event> events(MockEndpoint mock) {
        return mock.getExchanges().stream().map(e -> e.getMessage().getBody(Event.class)).toList();
    }

    static List<String> subjectsAndN(MockEndpoint mock) {
        return events(mock).stream().map(e -> e.subject() + ":" + e.data().get("n")).toList();
    }

    static Object header(Exchange e, String name) {
        return e.getMessage().getHeader(name);
    }
}
