package io.backplane.component.watchdog;

import io.backplane.core.Durations;
import io.backplane.core.MonotonicClock;
import java.time.Clock;
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
 * The {@code watchdog:} component: one timer thread checks every running watchdog for keys that went silent. A
 * check costs one look at the stalest key of each watchdog, however many keys it holds.
 */
@Component("watchdog")
public class WatchdogComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(WatchdogComponent.class);

    @Metadata(label = "advanced", defaultValue = "100",
              description = "How often (ms) the shared timer looks for silent keys: the precision of timeout. Must be "
                            + ">= 1.")
    private long tickInterval = 100;

    @Metadata(label = "advanced",
              description = "The time source. By default a monotonic clock (stepping the system clock does not fire "
                            + "timeouts early or late); tests inject their own.")
    private Clock clock = MonotonicClock.INSTANCE;

    private final Map<String, WatchdogConsumer> watchdogs = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WatchdogEndpoint endpoint = new WatchdogEndpoint(uri, this, remaining);
        Object timeout = parameters.get("timeout");
        if (timeout instanceof String text) {
            parameters.put("timeout", Durations.parse(text, "watchdog:" + remaining + ": timeout"));
        }
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (tickInterval < 1) {
            throw new IllegalArgumentException("tickInterval of the watchdog component must be >= 1 ms, was "
                                               + tickInterval);
        }
        timer = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "WatchdogTimer");
        timer.scheduleWithFixedDelay(this::tick, tickInterval, tickInterval, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (timer != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(timer);
            timer = null;
        }
        watchdogs.clear();
        super.doStop();
    }

    /** One timer pass (tests may call it to force one). */
    void tick() {
        long now = clock.millis();
        for (WatchdogConsumer w : watchdogs.values()) {
            try {
                w.check(now);
            } catch (RuntimeException e) {
                // keep the timer alive for the other watchdogs
                LOG.warn("watchdog:{}: check failed: {}", w.getEndpoint().getName(), e.getMessage(), e);
            }
        }
    }

    void register(WatchdogConsumer consumer) {
        String name = consumer.getEndpoint().getName();
        if (watchdogs.putIfAbsent(name, consumer) != null) {
            throw new IllegalArgumentException("watchdog:" + name + " is already running in another route: give each "
                                               + "watchdog its own name");
        }
    }

    void unregister(WatchdogConsumer consumer) {
        watchdogs.remove(consumer.getEndpoint().getName(), consumer);
    }

    /** The counters of a running watchdog, or null. */
    public WatchdogStats stats(String name) {
        WatchdogConsumer w = watchdogs.get(name);
        return w == null ? null : w.stats();
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
