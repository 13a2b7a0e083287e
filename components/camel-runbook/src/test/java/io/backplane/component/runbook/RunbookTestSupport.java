package io.backplane.component.runbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.backplane.core.Event;
import io.backplane.core.Events;
import io.backplane.core.action.ActionResult;
import io.backplane.core.action.ActionResult.Outcome;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One plain Camel context per test, with small in-process actors as direct: routes: each answers with a real
 * ActionResult event (the shape every Backplane actor returns) and records that it was called.
 */
abstract class RunbookTestSupport {

    protected DefaultCamelContext context;
    protected ProducerTemplate template;
    /** Actor names in the order they were called. */
    protected final List<String> calls = new CopyOnWriteArrayList<>();
    /** The events the actors received. */
    protected final List<Event> received = new CopyOnWriteArrayList<>();

    /** Where tests write their runbook files. */
    @TempDir
    protected Path runbooks;

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
        context.getShutdownStrategy().setTimeout(5);
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    /** The fake actors: direct:ok, direct:fail (exit code 3), direct:timeout, direct:boom (throws), direct:plain. */
    protected RouteBuilder actors() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ok").process(actor("ok", Outcome.OK, 0));
                from("direct:ok2").process(actor("ok2", Outcome.OK, 0));
                from("direct:ok3").process(actor("ok3", Outcome.OK, 0));
                from("direct:fail").process(actor("fail", Outcome.FAILED, 3));
                from("direct:timeout").process(actor("timeout", Outcome.TIMEOUT, null));
                from("direct:boom").process(e -> {
                    calls.add("boom");
                    throw new IllegalStateException("boom: the actor crashed");
                });
                // an endpoint that answers with no result event at all (a log, a notification)
                from("direct:plain").process(e -> {
                    calls.add("plain");
                    received.add(e.getMessage().getBody(Event.class));
                });
            }
        };
    }

    protected Processor actor(String name, Outcome outcome, Integer exitCode) {
        return (Exchange e) -> {
            Event cause = e.getMessage().getBody(Event.class);
            calls.add(name);
            received.add(cause);
            Event result = ActionResult.start("fake", name, cause).put("exitCode", exitCode)
                    .put("stdout", name + " output\n")
                    .finish(outcome, outcome == Outcome.OK ? null : name + " went wrong");
            Events.toMessage(result, e.getMessage());
        };
    }

    protected void start(RoutesBuilder... routes) throws Exception {
        for (RoutesBuilder r : routes) {
            context.addRoutes(r);
        }
        context.start();
        template = context.createProducerTemplate();
    }

    /** A route from direct:in through runbook:check, defined by {@code definition} in the file check.yaml. */
    protected RouteBuilder runbookRoute(String definition) throws IOException {
        Files.writeString(runbooks.resolve("check.yaml"), definition);
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:check?file=" + runbooks.resolve("check.yaml"));
            }
        };
    }

    static Event trigger() {
        return Event.builder("monitor/probe/web/down").subject("web01").data(Map.of("service", "nginx")).build();
    }

    protected Event run(Event trigger) {
        Exchange done = template.send("direct:in", e -> e.getMessage().setBody(trigger));
        if (done.getException() != null) {
            throw new AssertionError("the runbook threw", done.getException());
        }
        return done.getMessage().getBody(Event.class);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps(Event summary) {
        return (List<Map<String, Object>>) summary.data().get("steps");
    }

    static Map<String, Object> step(Event summary, String id) {
        return steps(summary).stream().filter(s -> id.equals(s.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + id + " in " + summary));
    }
}
