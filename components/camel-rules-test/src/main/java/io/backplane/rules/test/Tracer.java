package io.backplane.rules.test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.backplane.core.EventHeaders;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.NamedNode;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.FilterDefinition;
import org.apache.camel.model.OtherwiseDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.reifier.language.ExpressionReifier;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Records what each route did with each event: every step it ran, and for every {@code filter} and {@code when} the
 * predicate's text and whether it was true. Camel's tracers show the message at each step but not what a predicate
 * answered, so the predicates of the loaded route definitions are wrapped (before the routes are created) by one that
 * evaluates the original once and notes the answer; the steps are noted by an {@link InterceptStrategy}.
 */
final class Tracer implements InterceptStrategy {

    /** One line of a trace: what happened in which exchange, indented by its nesting in the route. */
    record Line(long seq, String exchangeId, String routeId, int depth, String text) {
    }

    private record NodeInfo(String routeId, int depth, String text, boolean firstOfOtherwise) {
    }

    private final Map<NamedNode, NodeInfo> nodes = new IdentityHashMap<>();
    private final Map<String, String> eventOfExchange = new ConcurrentHashMap<>();
    private final Map<String, String> routeOfExchange = new ConcurrentHashMap<>();
    private final List<Line> lines = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final Stubs stubs;

    Tracer(Stubs stubs) {
        this.stubs = stubs;
    }

    /** Wraps the predicates of these route definitions and notes where each step sits; before the routes start. */
    void instrument(CamelContext context, List<RouteDefinition> routes) {
        for (RouteDefinition route : routes) {
            walk(context, route.getRouteId(), route.getOutputs(), 0);
        }
    }

    private void walk(CamelContext context, String routeId, List<ProcessorDefinition<?>> outputs, int depth) {
        for (ProcessorDefinition<?> p : outputs) {
            nodes.put(p, new NodeInfo(routeId, depth, describe(context, p), false));
            if (p instanceof ChoiceDefinition choice) {
                for (WhenDefinition when : choice.getWhenClauses()) {
                    when.setExpression(traced(context, when.getExpression(), "when", routeId, depth + 1));
                    walk(context, routeId, when.getOutputs(), depth + 2);
                }
                OtherwiseDefinition otherwise = choice.getOtherwise();
                if (otherwise != null && !otherwise.getOutputs().isEmpty()) {
                    List<ProcessorDefinition<?>> steps = otherwise.getOutputs();
                    walk(context, routeId, steps, depth + 2);
                    ProcessorDefinition<?> first = steps.get(0);
                    NodeInfo info = nodes.get(first);
                    nodes.put(first, new NodeInfo(routeId, info.depth(), info.text(), true));
                }
                continue;
            }
            if (p instanceof FilterDefinition filter) {
                filter.setExpression(traced(context, filter.getExpression(), "filter", routeId, depth));
            }
            if (p instanceof ToDynamicDefinition toD) {
                // Camel sends toD to http: as "http://host" plus a path header; a test wants the whole URI
                toD.setAllowOptimisedComponents("false");
            }
            walk(context, routeId, p.getOutputs(), depth + 1);
        }
    }

    private String describe(CamelContext context, ProcessorDefinition<?> p) {
        if (p instanceof ToDefinition to) {
            String uri = to.getEndpointUri();
            String resolved = uri;
            try {
                resolved = context.resolvePropertyPlaceholders(uri);
            } catch (RuntimeException e) {
                // shown as written; the route itself will report the missing property
            }
            return "to " + resolved + (stubs.isStubbed(resolved) ? "  [stubbed]" : "");
        }
        if (p instanceof ToDynamicDefinition toD) {
            return "toD " + toD.getUri();
        }
        if (p instanceof FilterDefinition) {
            return null; // the predicate's line says it
        }
        if (p instanceof ChoiceDefinition) {
            return "choice"; // its label repeats every when
        }
        return p.getLabel();
    }

    private ExpressionDefinition traced(CamelContext context, ExpressionDefinition original, String kind,
                                        String routeId, int depth) {
        if (original == null) {
            return null;
        }
        String text = kind + " " + original.getLanguage() + ": " + original.getExpression();
        return new ExpressionDefinition(new TracedPredicate(original, text, routeId, depth));
    }

    /** Evaluates the route's own predicate and notes its answer (or its error) on the exchange's trace. */
    final class TracedPredicate implements Predicate {
        private final ExpressionDefinition original;
        private final String text;
        private final String routeId;
        private final int depth;
        private Predicate delegate;

        TracedPredicate(ExpressionDefinition original, String text, String routeId, int depth) {
            this.original = original;
            this.text = text;
            this.routeId = routeId;
            this.depth = depth;
        }

        @Override
        public void initPredicate(CamelContext context) {
            delegate = ExpressionReifier.reifier(context, original).createPredicate();
        }

        @Override
        public boolean matches(Exchange exchange) {
            try {
                boolean result = delegate.matches(exchange);
                add(exchange, routeId, depth, text + "  => " + result);
                return result;
            } catch (RuntimeException e) {
                add(exchange, routeId, depth, text + "  => error: " + e.getMessage());
                throw e;
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        NodeInfo info = nodes.get(definition);
        if (info == null) {
            return target; // not a rule's step (the recorder, a template's route)
        }
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                if (info.firstOfOtherwise()) {
                    add(exchange, info.routeId(), info.depth() - 1, "otherwise");
                }
                if (info.text() != null) {
                    add(exchange, info.routeId(), info.depth(), info.text());
                }
                return super.process(exchange, callback);
            }
        };
    }

    void add(Exchange exchange, String routeId, int depth, String text) {
        String id = exchange.getExchangeId();
        if (!eventOfExchange.containsKey(id)) {
            // a split or multicast copy belongs to the event of the exchange it was copied from
            String parent = exchange.getProperty(ExchangePropertyKey.CORRELATION_ID, String.class);
            String event = parent != null ? eventOfExchange.get(parent) : null;
            if (event == null) {
                event = exchange.getMessage().getHeader(EventHeaders.ID, "", String.class);
            }
            eventOfExchange.put(id, event);
            String route = parent != null ? routeOfExchange.get(parent) : null;
            routeOfExchange.put(id, route != null ? route
                    : exchange.getFromRouteId() != null ? exchange.getFromRouteId() : routeId);
        }
        synchronized (lines) {
            lines.add(new Line(seq.incrementAndGet(), id, routeId, depth, text));
        }
    }

    /** A line for a failed exchange, under the route that failed. */
    void failed(Exchange exchange, Throwable cause) {
        String route = routeOfExchange.getOrDefault(exchange.getExchangeId(), exchange.getFromRouteId());
        add(exchange, route, 0, "failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** The event id an exchange was started for ("" for routes not started by a bus event). */
    String eventOf(Line line) {
        return eventOfExchange.getOrDefault(line.exchangeId(), "");
    }

    /** The route that received the event of this line's exchange. */
    String receiverOf(Line line) {
        return routeOfExchange.getOrDefault(line.exchangeId(), line.routeId());
    }

    List<Line> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }
}
