package io.backplane.component.dedupe;

import io.backplane.core.Durations;
import io.backplane.core.MonotonicClock;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dedupe:} component. It holds the state of every dedupe name (shared by all endpoints with that name)
 * and one timer thread that expires keys and emits debounced events for all of them.
 */
@Component("dedupe")
public class DedupeComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(DedupeComponent.class);

    @Metadata(label = "advanced", defaultValue = "100",
              description = "How often (ms) the shared timer emits debounced events that are due and drops expired "
                            + "keys: the precision of debounce. Must be >= 1.")
    private long tickInterval = 100;

    @Metadata(label = "advanced",
              description = "The time source. By default a monotonic clock (stepping the system clock does not "
                            + "stretch or cut windows); tests inject their own.")
    private Clock clock = MonotonicClock.INSTANCE;

    private final Map<String, DedupeState> states = new ConcurrentHashMap<>();
    private final Map<String, DedupeConsumer> consumers = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DedupeEndpoint endpoint = new DedupeEndpoint(uri, this, remaining);
        durationParameter(remaining, parameters, "window");
        durationParameter(remaining, parameters, "maxDelay");
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** Parses a duration option here so that a typo gets a clear message rather than Camel's parse error. */
    private static void durationParameter(String name, Map<String, Object> parameters, String option) {
        Object value = parameters.get(option);
        if (value instanceof String text) {
            parameters.put(option, Durations.parse(text, "dedupe:" + name + ": " + option));
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (tickInterval < 1) {
            throw new IllegalArgumentException("tickInterval of the dedupe component must be >= 1 ms, was "
                                               + tickInterval);
        }
        timer = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "DedupeTimer");
        timer.scheduleWithFixedDelay(this::tick, tickInterval, tickInterval, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (timer != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(timer);
            timer = null;
        }
        states.clear();
        consumers.clear();
        super.doStop();
    }

    /** One timer pass: runs on the timer thread (tests may call it to force a pass). */
    void tick() {
        long now = clock.millis();
        for (DedupeState state : states.values()) {
            try {
                List<DedupeState.Pending> due = state.tick(now);
                for (DedupeState.Pending p : due) {
                    DedupeConsumer consumer = consumers.get(state.name);
                    boolean delivered = consumer != null && consumer.isRunAllowed();
                    if (delivered) {
                        consumer.emit(p);
                    } else {
                        LOG.warn("dedupe:{}: a debounced event of key '{}' is due but no route has from: dedupe:{}"
                                 + " running; dropped", state.name, p.key, state.name);
                    }
                    state.countEmitted(delivered);
                }
            } catch (RuntimeException e) {
                // keep the timer alive for the other names
                LOG.warn("dedupe:{}: timer pass failed: {}", state.name, e.getMessage(), e);
            }
        }
    }

    /** The state of a name, created on first use; endpoints that share a name must agree on its settings. */
    synchronized DedupeState acquire(DedupeEndpoint e) {
        DedupeState wanted = new DedupeState(e.getName(), e.getMode(), e.getWindow(), e.threshold(),
                e.getMaxDelay(), e.getMaxKeys());
        DedupeState state = states.get(e.getName());
        if (state == null) {
            state = wanted;
            states.put(e.getName(), state);
        } else if (!state.settings.equals(wanted.settings)) {
            throw new IllegalArgumentException("dedupe:" + e.getName() + " is already used with " + state.settings
                                               + "; this endpoint asks for " + wanted.settings
                                               + ": give it another name");
        }
        state.users++;
        return state;
    }

    synchronized void release(DedupeState state) {
        if (--state.users <= 0) {
            states.remove(state.name, state);
        }
    }

    void register(DedupeConsumer consumer) {
        String name = consumer.getEndpoint().getName();
        if (consumers.putIfAbsent(name, consumer) != null) {
            throw new IllegalArgumentException("dedupe:" + name + " already has a consumer: one route receives the "
                                               + "debounced events of a name");
        }
    }

    void unregister(DedupeConsumer consumer) {
        consumers.remove(consumer.getEndpoint().getName(), consumer);
    }

    /** The counters of a name, or null when no running endpoint uses it. */
    public DedupeStats stats(String name) {
        DedupeState state = states.get(name);
        return state == null ? null : state.stats();
    }

    public long getTickInterval() {
        return tickInterval;
    }

    public void setTickInterval(long tickInterval) {
        this.tickInterval = tickInterval;
    }

    public Clock getClock() {
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }
}
