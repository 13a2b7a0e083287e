package io.backplane.component.watchdog;

import io.backplane.test.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.awaitility.Awaitility.await;

/**
 * One Camel context per test with a real bus in process and a watchdog component on a hand-moved clock whose timer
 * ticks only once an hour: tests run checks themselves with {@link #tick()}.
 */
abstract class WatchdogTestSupport {

    static final Duration WAIT = Duration.ofSeconds(20);

    protected DefaultCamelContext context;
    protected ProducerTemplate template;
    protected final MutableClock clock = new MutableClock();
    protected WatchdogComponent watchdog;

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        context.addComponent("bus", bus);
        watchdog = new WatchdogComponent();
        watchdog.setClock(clock);
        watchdog.setTickInterval(3_600_000);
        context.addComponent("watchdog", watchdog);
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
        watchdog.tick();
    }

    /** Publishes a heartbeat on the bus and waits until the watchdog has taken it in. */
    protected Event beat(String watchdogName, String tag, String subject) {
        long before = watchdog.stats(watchdogName).received();
        Event e = Event.builder(tag).subject(subject).data(Map.of("up", true)).build();
        template.sendBody("bus:" + tag, e);
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .until(() -> watchdog.stats(watchdogName).received() > before);
        return e;
    }

    protected MockEndpoint mock(String name) {
        return context.getEndpoint("mock:" + name, MockEndpoint.class);
    }

    static List<Event> events(MockEndpoint mock) {
        return mock.getExchanges().stream().map(e -> e.getMessage().getBody(Event.class)).toList();
    }

    static List<String> summary(MockEndpoint mock) {
        return events(mock).stream().map(e -> e.subject() + " " + e.type()).toList();
    }
}
