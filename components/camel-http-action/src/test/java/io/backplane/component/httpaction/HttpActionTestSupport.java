package io.backplane.component.httpaction;

import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** One plain Camel context and one real HTTP server per test. */
abstract class HttpActionTestSupport {

    protected DefaultCamelContext context;
    protected ProducerTemplate template;
    protected TestServer server;

    @BeforeEach
    void createContext() throws Exception {
        server = new TestServer();
        context = new DefaultCamelContext();
        // nothing should be in flight when a test ends; don't let a mistake hold the suite for 45 s
        context.getShutdownStrategy().setTimeout(5);
    }

    @AfterEach
    void stopContext() {
        context.stop();
        server.close();
    }

    protected void start(RoutesBuilder... routes) throws Exception {
        for (RoutesBuilder r : routes) {
            context.addRoutes(r);
        }
        context.start();
        template = context.createProducerTemplate();
    }

    protected void start() throws Exception {
        start(new RoutesBuilder[0]);
    }

    static Event event(Map<String, ?> data) {
        return Event.builder("monitor/probe/web/down").subject("web01").data(data).build();
    }

    /** Sends the event to the endpoint and returns the exchange (body: the result event). */
    protected Exchange act(String uri, Event event) {
        return template.send(uri, e -> e.getMessage().setBody(event));
    }

    protected Event result(String uri, Event event) {
        Exchange done = act(uri, event);
        if (done.getException() != null) {
            throw new AssertionError("the action threw", done.getException());
        }
        return done.getMessage().getBody(Event.class);
    }

    @SuppressWarnings("unchecked")
    static <T> T field(Event result, String name) {
        return (T) result.data().get(name);
    }
}
