package io.backplane.rules.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.Events;
import io.backplane.core.TagGlob;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * One run of the rules: a CamelContext with the rule files loaded through the YAML DSL, the real {@code bus:} (an
 * embedded ZeroMQ hub on free loopback ports), actor endpoints stubbed, and a recorder of everything that happened:
 * each event on the bus, each message sent to an endpoint, each step and predicate (see {@link Tracer}).
 */
final class RuleHarness implements AutoCloseable {

    static final String RECORDER_ROUTE = "rules-test-recorder";
    private static final String INJECTED = "BackplaneRulesTestInjected";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message that reached an endpoint, as it was when sent. */
    record Sent(long seq, String uri, boolean stubbed, Object body, Map<String, Object> headers, String routeId,
                String eventId) {
    }

    /** An event seen on the bus: put there by the test, or published by a rule. */
    record BusEvent(long seq, Event event, boolean injected, String publishedBy) {
    }

    /** A rule as loaded: its id, its source, and for a bus rule the glob it listens to. */
    record Rule(String id, String from, String location, TagGlob glob) {
    }

    private final List<Path> ruleFiles;
    private final Map<String, String> properties;
    private final List<String> propertyLocations;
    private final Stubs stubs;
    private final Duration quietPeriod;
    private final Duration timeout;

    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong deliveriesExpected = new AtomicLong();
    private final AtomicLong deliveriesDone = new AtomicLong();
    private final List<Sent> sends = new CopyOnWriteArrayList<>();
    private final List<BusEvent> events = new CopyOnWriteArrayList<>();
    private final List<BusEvent> injected = new CopyOnWriteArrayList<>();
    private final Map<String, String> publisher = new ConcurrentHashMap<>();
    private final Map<String, Boolean> injectedIds = new ConcurrentHashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private final Tracer tracer;
    private DefaultCamelContext context;
    private ProducerTemplate template;

    RuleHarness(List<Path> ruleFiles, Map<String, String> properties, List<String> propertyLocations, Stubs stubs,
                Duration quietPeriod, Duration timeout) {
        this.ruleFiles = ruleFiles;
        this.properties = properties;
        this.propertyLocations = propertyLocations;
        this.stubs = stubs;
        this.quietPeriod = quietPeriod;
        this.timeout = timeout;
        this.tracer = new Tracer(stubs);
    }

    /** Loads and starts the rules; a rule that cannot be created fails here with Camel's reason. */
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.getCamelContextExtension().setName("rules-test");
        context.setSourceLocationEnabled(true); // route definitions know their file and line
        // the run already waited for the rules: a rule still busy at the end (reported) is not waited for again
        context.getShutdownStrategy().setTimeout(1);
        context.getShutdownStrategy().setSuppressLoggingOnTimeout(true);
        context.setStartupSummaryLevel(org.apache.camel.StartupSummaryLevel.Off);

        Map<String, String> settings = new LinkedHashMap<>(properties);
        // the bus of the test: in process, on ports nobody else uses, whatever the rules' own settings say
        settings.put("backplane.bus.transport", "zeromq");
        settings.put("backplane.bus.zeromq.embedded-hub", "true");
        settings.put("backplane.bus.zeromq.host", "127.0.0.1");
        settings.put("backplane.bus.zeromq.publish-port", String.valueOf(freePort()));
        settings.put("backplane.bus.zeromq.subscribe-port", String.valueOf(freePort()));
        Properties override = new Properties();
        override.putAll(settings);
        context.getPropertiesComponent().setOverrideProperties(override);
        for (String location : propertyLocations) {
            context.getPropertiesComponent().addLocation(location);
        }
        // defaults below every other source: facts of state: stay in memory, so no case sees another's (or
        // production's) state file, unless the rules' settings name one
        Properties defaults = new Properties();
        defaults.put("backplane.state.file", "none");
        context.getPropertiesComponent().setInitialProperties(defaults);

        stubs.install(context);
        context.getCamelContextExtension().addInterceptStrategy(tracer);
        context.getManagementStrategy().addEventNotifier(new Notifier());

        List<Resource> resources = new ArrayList<>();
        for (Path file : ruleFiles) {
            resources.add(ResourceHelper.resolveMandatoryResource(context, "file:" + file.toAbsolutePath()));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources);

        List<RouteDefinition> definitions = ((ModelCamelContext) context).getRouteDefinitions();
        int n = 0;
        for (RouteDefinition route : definitions) {
            n++;
            if (route.getRouteId() == null) {
                route.setId("route" + n); // Camel's own naming, fixed now so traces can name it
            }
            String from = route.getInput() != null ? route.getInput().getEndpointUri() : "?";
            String resolved = context.resolvePropertyPlaceholders(from);
            TagGlob glob = null;
            if (resolved.startsWith("bus:")) {
                String g = resolved.substring(4);
                g = g.startsWith("//") ? g.substring(2) : g;
                int q = g.indexOf('?');
                glob = TagGlob.of(q >= 0 ? g.substring(0, q) : g);
            }
            String location = route.getLocation() != null
                    ? shortLocation(route.getLocation()) + (route.getLineNumber() > 0 ? ":" + route.getLineNumber() : "")
                    : "";
            rules.add(new Rule(route.getRouteId(), resolved, location, glob));
            if (glob != null) {
                route.routePolicy(new DeliveryCounter());
            }
        }
        tracer.instrument(context, definitions);

        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:**").routeId(RECORDER_ROUTE).process(RuleHarness.this::onBusEvent);
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    /** A rule's file as the user named it (the rules directory they gave, plus the file name). */
    private String shortLocation(String location) {
        String l = location.startsWith("file:") ? location.substring(5) : location;
        for (Path file : ruleFiles) {
            if (file.toAbsolutePath().toString().equals(l)) {
                return file.toString();
            }
        }
        return l;
    }

    private void onBusEvent(Exchange exchange) {
        Event event = exchange.getMessage().getBody(Event.class);
        if (event != null) {
            // the rules this event is delivered to: until each is done with it, the rules are not idle (the bus
            // hands an event to its routes one after the other, the recorder among them in no fixed place)
            for (Rule rule : rules) {
                if (rule.glob() != null && rule.glob().matches(event.type())
                    && context.getRouteController().getRouteStatus(rule.id()).isStarted()) {
                    deliveriesExpected.incrementAndGet();
                }
            }
            events.add(new BusEvent(seq.incrementAndGet(), event, injectedIds.containsKey(event.id()),
                    publisher.get(event.id())));
        }
        received.incrementAndGet();
    }

    /** Puts an event on the bus as an emitter would. */
    Event inject(Map<String, Object> attributes) {
        Event event = EventCodec.defaults().fromMap(attributes);
        injectedIds.put(event.id(), Boolean.TRUE);
        injected.add(new BusEvent(seq.incrementAndGet(), event, true, null));
        Exchange result = template.send("bus:" + event.type(), ex -> {
            ex.setProperty(INJECTED, Boolean.TRUE);
            Events.toMessage(event, ex.getMessage());
        });
        if (result.getException() != null) {
            throw new IllegalStateException("cannot put the event on the bus: " + result.getException().getMessage(),
                    result.getException());
        }
        published.incrementAndGet();
        return event;
    }

    /**
     * Waits until the rules are done: nothing in flight, every published event received back from the bus, and
     * nothing new for the quiet period. False if that does not happen within the timeout.
     */
    boolean awaitIdle() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long stableSince = start;
        String last = null;
        while (System.nanoTime() < deadline) {
            int inflight = context.getInflightRepository().size();
            long pub = published.get();
            long rec = received.get();
            long done = deliveriesDone.get();
            long expected = deliveriesExpected.get();
            String signature = inflight + "/" + pub + "/" + rec + "/" + done + "/" + sends.size() + "/"
                               + tracer.lines().size();
            long now = System.nanoTime();
            if (inflight > 0 || rec < pub || done < expected || !signature.equals(last)) {
                stableSince = now;
                last = signature;
            } else if (now - stableSince >= quietPeriod.toNanos()) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    String busyReason() {
        return context.getInflightRepository().size() + " exchanges in flight, " + published.get()
               + " events published and " + received.get() + " received, " + deliveriesDone.get() + " of "
               + deliveriesExpected.get() + " deliveries to rules done";
    }

    /** Counts the bus events a rule has finished with (its own exchanges, not those it creates inside). */
    private final class DeliveryCounter extends org.apache.camel.support.RoutePolicySupport {
        @Override
        public void onExchangeDone(org.apache.camel.Route route, Exchange exchange) {
            deliveriesDone.incrementAndGet();
        }
    }

    List<Sent> sends() {
        return List.copyOf(sends);
    }

    /**
     * The events seen on the bus, in order; the test's own events also before the bus has delivered them back
     * (a rule still busy with one holds up the bus's dispatch).
     */
    List<BusEvent> events() {
        Map<String, BusEvent> byId = new LinkedHashMap<>();
        for (BusEvent b : injected) {
            byId.put(b.event().id(), b);
        }
        for (BusEvent b : events) {
            byId.putIfAbsent(b.event().id(), b);
        }
        List<BusEvent> all = new ArrayList<>(byId.values());
        all.sort(java.util.Comparator.comparingLong(BusEvent::seq));
        return all;
    }

    List<Rule> rules() {
        return rules;
    }

    Tracer tracer() {
        return tracer;
    }

    Stubs stubs() {
        return stubs;
    }

    CamelContext context() {
        return context;
    }

    @Override
    public void close() {
        if (context != null) {
            try {
                context.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the rules: " + e.getMessage(), e);
            }
        }
    }

    /** Snapshot of a body: later steps may change it. JSON text becomes maps and lists, to compare with the case. */
    static Object snapshot(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return null;
        }
        if (body instanceof Map<?, ?> m) {
            return new LinkedHashMap<>(m);
        }
        String text = body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                : body instanceof String s ? s : exchange.getContext().getTypeConverter().tryConvertTo(String.class,
                        exchange, body);
        if (text == null) {
            return String.valueOf(body);
        }
        String t = text.trim();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return JSON.readValue(t, Object.class);
            } catch (IOException e) {
                return text;
            }
        }
        return text;
    }

    /** Records sends, successful publishes to the bus and failures. */
    private final class Notifier extends EventNotifierSupport {
        Notifier() {
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeCreatedEvent(true);
            setIgnoreExchangeCompletedEvent(true);
            setIgnoreExchangeRedeliveryEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeSendingEvent e) {
                Exchange ex = e.getExchange();
                if (ex.getProperty(INJECTED) != null) {
                    return;
                }
                String uri = e.getEndpoint().getEndpointUri();
                sends.add(new Sent(seq.incrementAndGet(), uri, e.getEndpoint() instanceof Stubs.StubbedEndpoint,
                        snapshot(ex), new LinkedHashMap<>(ex.getMessage().getHeaders()), ex.getFromRouteId(),
                        ex.getMessage().getHeader(io.backplane.core.EventHeaders.ID, String.class)));
            } else if (event instanceof CamelEvent.ExchangeSentEvent e) {
                Exchange ex = e.getExchange();
                if (ex.getProperty(INJECTED) == null && ex.getException() == null
                    && e.getEndpoint().getEndpointUri().startsWith("bus:")) {
                    if (ex.getMessage().getBody() instanceof Event published) {
                        publisher.put(published.id(), String.valueOf(ex.getFromRouteId()));
                    }
                    RuleHarness.this.published.incrementAndGet();
                }
            } else if (event instanceof CamelEvent.ExchangeFailedEvent e) {
                Exchange ex = e.getExchange();
                if (ex.getException() != null && !RECORDER_ROUTE.equals(ex.getFromRouteId())) {
                    tracer.failed(ex, ex.getException());
                }
            }
        }
    }

    /** A port that was free on loopback a moment ago (for the test's own hub). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
