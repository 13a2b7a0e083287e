package io.backplane.component.runbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.Events;
import io.backplane.core.action.ActionResult;
import io.backplane.core.action.ActionResult.Outcome;

/**
 * Runs the runbook for each exchange and replaces the body with the summary event. Each step gets its own copy of the
 * exchange holding the triggering event, is sent to its endpoint and waited for; what comes back (a result event, or
 * an exception) is the step's record. Nothing a step does throws out of the run: a step that throws is a failed step.
 * Steps run one after another on the calling thread; parallelism comes from the route, as for every actor.
 */
public class RunbookProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RunbookProducer.class);
    static final String ACTOR = "runbook";
    /** Bound of each step's error text in the summary (the step's own result event has the full text). */
    static final int MAX_STEP_ERROR = 2048;
    private static final Set<String> OUTCOMES = Set.of("ok", "failed", "timeout", "refused");

    private final RunbookEndpoint endpoint;
    private final Runbook runbook;
    private final List<Producer> producers = new ArrayList<>();
    private final List<Endpoint> ownEndpoints = new ArrayList<>();
    private Producer stepResults;

    /** What happened to one step, and what conditions of later steps can read about it. */
    private record StepRecord(Map<String, Object> summary, Map<String, Object> view, boolean failed) {
    }

    public RunbookProducer(RunbookEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.runbook = endpoint.runbook();
    }

    @Override
    public RunbookEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        try {
            // every step endpoint is created and started now, so a wrong uri stops the route from starting
            for (Runbook.Step step : runbook.steps()) {
                producers.add(start(step));
            }
            if (endpoint.getStepResultUri() != null && !endpoint.getStepResultUri().isBlank()) {
                String uri = endpoint.getStepResultUri().trim();
                try {
                    stepResults = startProducer(getEndpoint().getCamelContext().getEndpoint(uri));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("runbook:" + runbook.name() + ": stepResultUri " + uri + ": "
                                                       + rootMessage(e), e);
                }
            }
        } catch (Exception e) {
            stopAll(); // what did start must not linger
            throw e;
        }
    }

    private Producer start(Runbook.Step step) throws Exception {
        CamelContext camel = getEndpoint().getCamelContext();
        Endpoint target;
        try {
            String uri = camel.resolvePropertyPlaceholders(step.uri());
            if (uri.equals("runbook:" + runbook.name()) || uri.startsWith("runbook:" + runbook.name() + "?")) {
                throw new IllegalArgumentException("a runbook cannot run itself");
            }
            target = step.parameters().isEmpty() ? camel.getEndpoint(uri) : privateEndpoint(camel, uri, step);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("runbook:" + runbook.name() + ", step '" + step.id() + "': cannot use "
                                               + "uri " + step.uri() + ": " + rootMessage(e), e);
        }
        try {
            return startProducer(target);
        } catch (Exception e) {
            throw new IllegalArgumentException("runbook:" + runbook.name() + ", step '" + step.id() + "': "
                                               + target + " did not start: " + rootMessage(e), e);
        }
    }

    /**
     * An endpoint of the step's own, with its parameters given to the component as a map: the values are never
     * part of a URI string, so Camel does not decode them and {@code &}, {@code +}, {@code %} and {@code )} in a
     * command arrive exactly as written. (Registered endpoints are shared by URI; these options are this step's.)
     */
    private Endpoint privateEndpoint(CamelContext camel, String uri, Runbook.Step step) {
        int end = 0;
        while (end < uri.length() && uri.charAt(end) != ':' && uri.charAt(end) != '?') {
            end++;
        }
        String scheme = uri.substring(0, end);
        Component component = camel.getComponent(scheme);
        if (component == null) {
            throw new IllegalArgumentException("no component found with scheme " + scheme);
        }
        Map<String, Object> options = new LinkedHashMap<>();
        step.parameters().forEach((k, v) -> options.put(k, camel.resolvePropertyPlaceholders(String.valueOf(v))));
        try {
            Endpoint endpoint = component.createEndpoint(uri, options);
            if (endpoint == null) {
                throw new IllegalArgumentException("component " + scheme + " made no endpoint of " + uri);
            }
            ServiceHelper.startService(endpoint);
            ownEndpoints.add(endpoint);
            return endpoint;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Producer startProducer(Endpoint target) throws Exception {
        Producer producer = target.createProducer();
        ServiceHelper.startService(producer);
        return producer;
    }

    @Override
    protected void doStop() throws Exception {
        stopAll();
        super.doStop();
    }

    private void stopAll() {
        ServiceHelper.stopAndShutdownServices(producers);
        producers.clear();
        ServiceHelper.stopAndShutdownServices(ownEndpoints);
        ownEndpoints.clear();
        if (stepResults != null) {
            ServiceHelper.stopAndShutdownService(stepResults);
            stepResults = null;
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Event trigger;
        String bodyError = null;
        try {
            trigger = Events.fromExchange(exchange, EventCodec.defaults(), null);
        } catch (RuntimeException e) {
            trigger = null;
            bodyError = "the message body is not an event: " + e.getMessage() + "; no step was run";
        }
        Event summary = run(exchange, trigger, bodyError);
        Message message = exchange.getMessage();
        Events.toMessage(summary, message);
        String outcome = (String) summary.data().get("outcome");
        message.setHeader(RunbookConstants.OUTCOME, outcome);
        Object failedStep = summary.data().get("failedStep");
        if (failedStep != null) {
            message.setHeader(RunbookConstants.FAILED_STEP, failedStep);
        } else {
            message.removeHeader(RunbookConstants.FAILED_STEP);
        }
        if (endpoint.isFailOnError() && !Outcome.OK.segment().equals(outcome)) {
            throw new RunbookException("runbook:" + runbook.name() + " " + outcome + ": "
                                       + summary.data().get("error"), exchange, summary);
        }
    }

    private Event run(Exchange exchange, Event trigger, String bodyError) {
        ActionResult result = ActionResult.start(ACTOR, runbook.name(), trigger);
        if (trigger == null) {
            result.put("steps", List.of());
            result.put("failedStep", null);
            return result.finish(Outcome.REFUSED, bodyError);
        }
        Map<String, Map<String, Object>> views = new LinkedHashMap<>();
        Condition.Scope scope = new Condition.Scope() {
            @Override
            public Map<String, Object> step(String id) {
                return views.get(id);
            }

            @Override
            public Event trigger() {
                return trigger;
            }
        };
        List<Map<String, Object>> steps = new ArrayList<>();
        String failedStep = null;
        String failure = null;
        String stoppedBy = null;
        for (int i = 0; i < runbook.steps().size(); i++) {
            Runbook.Step step = runbook.steps().get(i);
            StepRecord record;
            if (stoppedBy != null && !step.always()) {
                record = skipped(step, "step '" + stoppedBy + "' failed and onFailure is stop");
            } else if (step.when() != null && !step.when().test(scope)) {
                record = skipped(step, "the condition is false: " + step.when());
            } else {
                record = execute(step, producers.get(i), exchange, trigger);
                if (record.failed()) {
                    if (failedStep == null && !step.ignoreFailure()) {
                        failedStep = step.id();
                        Object error = record.summary().get("error");
                        failure = "step '" + step.id() + "' " + record.summary().get("outcome")
                                  + (error != null ? ": " + error : "");
                    }
                    if (stoppedBy == null && runbook.onFailure() == Runbook.OnFailure.STOP
                        && !step.continueOnFailure() && !step.ignoreFailure()) {
                        stoppedBy = step.id();
                    }
                }
            }
            views.put(step.id(), record.view());
            steps.add(record.summary());
        }
        result.put("steps", steps);
        result.put("failedStep", failedStep);
        Event summary = result.finish(failedStep == null ? Outcome.OK : Outcome.FAILED, failure);
        LOG.debug("runbook:{} for {} ({}): {}", runbook.name(), trigger.type(), trigger.subject(),
                summary.data().get("outcome"));
        return summary;
    }

    private static StepRecord skipped(Runbook.Step step, String reason) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", step.id());
        summary.put("outcome", "skipped");
        summary.put("skipped", true);
        summary.put("durationMs", 0L);
        summary.put("reason", reason);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("outcome", "skipped");
        view.put("skipped", true);
        return new StepRecord(summary, view, false);
    }

    /** Sends the trigger to the step's endpoint on a copy of the exchange and turns what came back into a record. */
    private StepRecord execute(Runbook.Step step, Producer producer, Exchange original, Event trigger) {
        long start = System.nanoTime();
        Exchange copy = copyOf(original, trigger);
        Throwable thrown;
        try {
            producer.process(copy);
            thrown = copy.getException();
        } catch (Exception | LinkageError e) {
            thrown = e;
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        Event resultEvent = resultEvent(copy.getMessage().getBody());
        String outcome;
        String error = null;
        if (resultEvent != null) {
            outcome = outcomeOf(resultEvent);
            Object e = resultEvent.data() == null ? null : resultEvent.data().get("error");
            error = e == null ? null : String.valueOf(e);
        } else {
            outcome = "ok";
        }
        if (thrown != null) {
            if (outcome.equals("ok")) {
                outcome = "failed";
            }
            if (error == null) {
                error = "the step threw " + describe(thrown);
            }
        }
        if (!outcome.equals("ok") && error == null) {
            error = "the step ended " + outcome;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", step.id());
        summary.put("outcome", outcome);
        summary.put("skipped", false);
        summary.put("durationMs", durationMs);
        if (error != null) {
            summary.put("error", ActionResult.truncate(error, MAX_STEP_ERROR));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        if (resultEvent != null) {
            summary.put("resultType", resultEvent.type());
            summary.put("resultId", resultEvent.id());
            Map<String, Object> data = resultEvent.data();
            if (data != null) {
                copyIfPresent(data, "exitCode", summary);
                copyIfPresent(data, "status", summary);
                view.putAll(data);
            }
            publish(step, resultEvent, copy);
        }
        view.put("outcome", outcome);
        view.put("skipped", false);
        view.put("error", error);
        view.put("durationMs", durationMs);
        LOG.debug("runbook:{} step {}: {}{}", runbook.name(), step.id(), outcome, error == null ? "" : " " + error);
        return new StepRecord(summary, view, !outcome.equals("ok"));
    }

    private Exchange copyOf(Exchange original, Event trigger) {
        Exchange copy = original.copy();
        copy.setPattern(ExchangePattern.InOut);
        copy.setException(null);
        copy.setRouteStop(false);
        copy.setRollbackOnly(false);
        copy.setRollbackOnlyLast(false);
        Events.toMessage(trigger, copy.getMessage());
        return copy;
    }

    /** The step's result event: an Event (or an event map) whose outcome is one of the four; else null. */
    private static Event resultEvent(Object body) {
        Event event = null;
        if (body instanceof Event e) {
            event = e;
        } else if (body instanceof Map<?, ?> map && map.containsKey(Event.TYPE)) {
            try {
                event = EventCodec.defaults().fromMap(map);
            } catch (RuntimeException notAnEvent) {
                return null;
            }
        }
        return event != null && outcomeOf(event) != null ? event : null;
    }

    /** {@code data.outcome}, else the tag's last segment, when it is ok, failed, timeout or refused. */
    private static String outcomeOf(Event event) {
        Object o = event.data() == null ? null : event.data().get("outcome");
        if (o instanceof String s && OUTCOMES.contains(s)) {
            return s;
        }
        String type = event.type();
        String last = type == null ? "" : type.substring(type.lastIndexOf('/') + 1);
        return type != null && type.startsWith("action/") && OUTCOMES.contains(last) ? last : null;
    }

    private void publish(Runbook.Step step, Event resultEvent, Exchange from) {
        if (stepResults == null) {
            return;
        }
        Exchange out = new DefaultExchange(from.getContext());
        Events.toMessage(resultEvent, out.getMessage());
        try {
            stepResults.process(out);
            if (out.getException() != null) {
                throw out.getException();
            }
        } catch (Exception e) {
            // the run goes on: the summary still holds this step
            LOG.warn("runbook:{} step {}: cannot send its result to {}: {}", runbook.name(), step.id(),
                    endpoint.getStepResultUri(), rootMessage(e));
        }
    }

    private static void copyIfPresent(Map<String, Object> from, String key, Map<String, Object> to) {
        Object v = from.get(key);
        if (v != null) {
            to.put(key, v);
        }
    }

    private static String describe(Throwable t) {
        String message = rootMessage(t);
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String rootMessage(Throwable t) {
        String message = t.getMessage();
        Throwable cause = t.getCause();
        while ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
            cause = cause.getCause();
        }
        return message;
    }
}
