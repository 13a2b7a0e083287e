package io.backplane.routes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;

import static org.awaitility.Awaitility.await;

/**
 * Runs rule-library kamelets as a user writes them: YAML routes loaded through the YAML DSL, on the real bus (an
 * embedded ZeroMQ hub on free loopback ports). Everything the rules publish under {@code watched} lands in
 * {@code mock:published}; exchanges that fail are collected in {@link #failures}.
 */
abstract class RuleLibraryBaseTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    protected CamelContext context;
    protected ProducerTemplate template;
    protected final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<CamelContext> contexts = new CopyOnWriteArrayList<>();

    /** A context with these properties, extra components (scheme, component) and routes (YAML or builders). */
    protected CamelContext create(Properties props, Map<String, Component> components, Object... routes)
            throws Exception {
        CamelContext c = new DefaultCamelContext();
        contexts.add(c);
        c.getPropertiesComponent().setInitialProperties(props);
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        c.addComponent("bus", bus);
        components.forEach(c::addComponent);
        c.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeFailedEvent failed) {
                    failures.add(failed.getExchange().getException());
                }
            }
        });
        for (Object r : routes) {
            if (r instanceof String yaml) {
                PluginHelper.getRoutesLoader(c).loadRoutes(ResourceHelper.fromString("rules.yaml", yaml));
            } else {
                c.addRoutes((RoutesBuilder) r);
            }
        }
        return c;
    }

    protected CamelContext start(Properties props, Map<String, Component> components, Object... routes)
            throws Exception {
        CamelContext c = create(props, components, routes);
        c.start();
        context = c;
        template = c.createProducerTemplate();
        return c;
    }

    /** Routes everything published under the glob to mock:published. */
    static RouteBuilder watch(String glob) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:" + glob).to("mock:published");
            }
        };
    }

    /** State in memory only, unless a test names a file. */
    static Properties memoryState() {
        Properties p = new Properties();
        p.put("backplane.state.file", "none");
        p.put("backplane.gates.file", "none");
        return p;
    }

    protected Event publish(Event e) {
        template.sendBody("bus:" + e.type(), e);
        return e;
    }

    protected Event publish(String tag, String subject, Map<String, ?> data) {
        return publish(Event.builder(tag).subject(subject).data(data).build());
    }

    protected MockEndpoint mock(String name) {
        return context.getEndpoint("mock:" + name, MockEndpoint.class);
    }

    /** The events a mock received, once it has at least {@code count}. */
    protected List<Event> received(String mock, int count) {
        MockEndpoint m = mock(mock);
        await().atMost(WAIT).until(() -> m.getReceivedCounter() >= count);
        return m.getExchanges().stream().map(x -> x.getMessage().getBody(Event.class)).toList();
    }

    /** The first failure whose message contains the text, waited for. */
    protected Throwable failure(String text) {
        await().atMost(WAIT).until(() -> failures.stream().anyMatch(f -> String.valueOf(f).contains(text)));
        return failures.stream().filter(f -> String.valueOf(f).contains(text)).findFirst().orElseThrow();
    }

    @AfterEach
    void stopAll() {
        for (CamelContext c : contexts) {
            c.stop();
        }
    }
}
