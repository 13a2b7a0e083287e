package io.backplane.component.probe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.backplane.core.Event;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.awaitility.Awaitility.await;

/** One plain Camel context per test; each probe route records what it emits. */
abstract class ProbeTestSupport {

    /** An emitted event with the message headers it came with. */
    record Received(Event event, Map<String, Object> headers) {

        String type() {
            return event.type();
        }

        Map<String, Object> data() {
            return event.data();
        }
    }

    protected static final Duration WAIT = Duration.ofSeconds(20);

    protected DefaultCamelContext context;
    protected final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    /** Starts one route per URI; the route id is the probe's name. */
    protected void start(String... uris) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String uri : uris) {
                    String name = uri.substring("probe:".length(), uri.indexOf('?'));
                    from(uri).routeId(name).process(e -> received.add(new Received(
                            e.getMessage().getBody(Event.class), Map.copyOf(e.getMessage().getHeaders()))));
                }
            }
        });
        context.start();
    }

    protected List<Received> ofType(String type) {
        return received.stream().filter(r -> r.type().equals(type)).collect(Collectors.toList());
    }

    /** Waits for the first event of this type and returns it. */
    protected Received awaitEvent(String type) {
        return awaitEvents(type, 1).get(0);
    }

    protected List<Received> awaitEvents(String type, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> ofType(type).size() >= count);
        return ofType(type);
    }

    protected void awaitReceived(Predicate<List<Received>> condition) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> condition.test(List.copyOf(received)));
    }

    protected ProbeConsumer consumer(String name) {
        return (ProbeConsumer) context.getRoute(name).getConsumer();
    }

    protected static String tag(String name, String what) {
        return "monitor/probe/" + name + "/" + what;
    }
}
