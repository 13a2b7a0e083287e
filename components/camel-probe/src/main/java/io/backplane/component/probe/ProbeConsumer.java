package io.backplane.component.probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.backplane.core.Event;
import io.backplane.core.Events;
import io.backplane.core.Tags;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Runs one probe on the component's shared scheduler. Each tick hands the check to a worker thread, unless the
 * previous check (or the routing of its events) is still in flight: then the tick is skipped, so a slow target never
 * piles checks up. Results feed the flap-damped {@link ProbeState}; confirmed changes (and, with metrics, every
 * result) are routed on a worker thread, never on the scheduler.
 */
public class ProbeConsumer extends DefaultConsumer {

    static final String SOURCE = "backplane/probe";

    private final ProbeEndpoint endpoint;
    private final Check check;
    private final String tagPrefix;
    private final String subject;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    /** Bumped at each start, so a check begun before a restart cannot touch the new run's state. */
    private final AtomicInteger generation = new AtomicInteger();
    private volatile ProbeRuntime runtime;
    private volatile ScheduledFuture<?> schedule;
    private ProbeState state;

    public ProbeConsumer(ProbeEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.check = endpoint.check();
        this.tagPrefix = "monitor/probe/" + Tags.segment(endpoint.getName()) + "/";
        this.subject = endpoint.eventSubject();
    }

    @Override
    public ProbeEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        runtime = endpoint.getComponent().runtime();
        state = new ProbeState(endpoint.getFailures(), endpoint.getSuccesses(), Instant.now());
        generation.incrementAndGet();
        inFlight.set(false);
        // fixed delay, not fixed rate: after a stall (GC, suspended VM) missed ticks are not fired in a burst; a
        // tick takes microseconds, so the checks still start interval apart
        schedule = runtime.scheduler().scheduleWithFixedDelay(this::tick, endpoint.getInitialDelay(),
                                                              endpoint.getInterval(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        ScheduledFuture<?> s = schedule;
        schedule = null;
        if (s != null) {
            s.cancel(false);
        }
        super.doStop();
    }

    /** Checks started since the route started. */
    public long getRuns() {
        return runs.get();
    }

    /** Ticks skipped because the previous check was still in flight. */
    public long getSkipped() {
        return skipped.get();
    }

    /** The confirmed state: up, down or unknown. */
    public String getState() {
        ProbeState s = state;
        return s == null ? ProbeState.State.UNKNOWN.label() : s.state().label();
    }

    /** On the scheduler thread: must be quick and must never throw (that would end the schedule). */
    private void tick() {
        try {
            if (!isRunAllowed() || isSuspendingOrSuspended()) {
                return;
            }
            if (!inFlight.compareAndSet(false, true)) {
                skipped.incrementAndGet();
                return;
            }
            int gen = generation.get();
            try {
                runtime.workers().execute(() -> runCheck(gen));
            } catch (RejectedExecutionException e) {
                inFlight.set(false); // stopping
            }
        } catch (Throwable t) {
            getExceptionHandler().handleException("probe " + endpoint.getName() + ": cannot start a check", t);
        }
    }

    /** On a worker thread: starts the check and its deadline; the result continues on a worker thread. */
    private void runCheck(int gen) {
        ProbeRuntime rt = runtime;
        runs.incrementAndGet();
        long timeout = endpoint.getTimeout();
        long started = System.nanoTime();
        CompletableFuture<Outcome> attempt = new CompletableFuture<>();
        AtomicReference<Runnable> abort = new AtomicReference<>();
        ScheduledFuture<?> deadline = rt.scheduler().schedule(() -> {
            if (attempt.complete(Outcome.fail(Failures.timeout(timeout)))) {
                Runnable a = abort.get();
                if (a != null) {
                    a.run(); // close the socket: nothing may stay open after a timeout
                }
            }
        }, timeout, TimeUnit.MILLISECONDS);
        attempt.whenComplete((outcome, e) -> {
            long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            deadline.cancel(false);
            try {
                rt.workers().execute(() -> onResult(gen, outcome, latency));
            } catch (RejectedExecutionException stopping) {
                release(gen);
            }
        });
        try {
            Runnable a = check.start(rt, attempt::complete);
            abort.set(a);
            if (attempt.isDone()) {
                a.run(); // done already: harmless; or the deadline passed before abort was set
            }
        } catch (Exception | Error e) {
            attempt.complete(Outcome.fail(Failures.describe(e, check.target(), timeout)));
        }
    }

    /** Lets the next tick start a check, unless a restart has begun a new run in the meantime. */
    private void release(int gen) {
        if (gen == generation.get()) {
            inFlight.set(false);
        }
    }

    private void onResult(int gen, Outcome outcome, long latency) {
        try {
            if (!isRunAllowed() || gen != generation.get()) {
                release(gen);
                return;
            }
            long maxLatency = endpoint.getMaxLatency();
            if (outcome.ok() && maxLatency > 0 && latency > maxLatency) {
                outcome = Outcome.fail("slow: " + latency + "ms, more than maxLatency " + Failures.duration(maxLatency),
                                       outcome.statusCode(), outcome.daysLeft());
            }
            Instant now = Instant.now();
            ProbeState.Transition change = state.record(outcome.ok(), now);
            List<Event> events = new ArrayList<>(2);
            if (endpoint.isMetrics()) {
                events.add(resultEvent(outcome, latency));
            }
            if (change != null && shouldEmit(change)) {
                events.add(stateEvent(change, outcome, latency));
            }
            emit(gen, events, 0, outcome.ok());
        } catch (Throwable t) {
            release(gen);
            getExceptionHandler().handleException("probe " + endpoint.getName() + ": cannot handle a result", t);
        }
    }

    private boolean shouldEmit(ProbeState.Transition change) {
        if (change.from() != ProbeState.State.UNKNOWN) {
            return true;
        }
        switch (endpoint.getEmitInitial()) {
            case "none":
                return false;
            case "down":
                return change.to() == ProbeState.State.DOWN;
            default:
                return true;
        }
    }

    private Event resultEvent(Outcome outcome, long latency) {
        Map<String, Object> data = common();
        data.put("ok", outcome.ok());
        data.put("state", state.state().label());
        data.put("consecutive", state.consecutive());
        details(data, outcome, latency);
        data.put("since", state.since().toString());
        return Event.builder(tagPrefix + "result").source(SOURCE).subject(subject).data(data).build();
    }

    private Event stateEvent(ProbeState.Transition change, Outcome outcome, long latency) {
        Map<String, Object> data = common();
        data.put("state", change.to().label());
        data.put("previous", change.from().label());
        data.put("consecutive", change.consecutive());
        details(data, outcome, latency);
        data.put("since", change.since().toString());
        data.put("previousSince", change.previousSince().toString());
        return Event.builder(tagPrefix + change.to().label()).source(SOURCE).subject(subject).data(data).build();
    }

    private Map<String, Object> common() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", endpoint.getName());
        data.put("type", endpoint.getType());
        data.put("target", check.target());
        return data;
    }

    private static void details(Map<String, Object> data, Outcome outcome, long latency) {
        data.put("latencyMs", latency);
        if (outcome.error() != null) {
            data.put("error", outcome.error());
        }
        if (outcome.statusCode() != null) {
            data.put("statusCode", outcome.statusCode());
        }
        if (outcome.daysLeft() != null) {
            data.put("daysLeft", outcome.daysLeft());
        }
    }

    /** Routes the events one after the other; the probe may run again only when the last one is done. */
    private void emit(int gen, List<Event> events, int index, boolean ok) {
        if (index >= events.size() || !isRunAllowed()) {
            release(gen);
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getIn();
            Events.toMessage(events.get(index), message);
            message.setHeader(ProbeConstants.NAME, endpoint.getName());
            message.setHeader(ProbeConstants.STATE, state.state().label());
            message.setHeader(ProbeConstants.OK, ok);
            getAsyncProcessor().process(exchange, doneSync -> {
                if (exchange.getException() != null && isRunAllowed()) { // not the noise of a shutdown
                    getExceptionHandler().handleException("probe " + endpoint.getName() + ": error routing an event",
                                                          exchange, exchange.getException());
                }
                releaseExchange(exchange, false);
                emit(gen, events, index + 1, ok);
            });
        } catch (Throwable t) {
            getExceptionHandler().handleException("probe " + endpoint.getName() + ": error routing an event",
                                                  exchange, t);
            releaseExchange(exchange, false);
            release(gen);
        }
    }
}
