package io.backplane.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.backplane.component.state.FactChange;
import io.backplane.component.state.FactStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gates' states current: a gate is evaluated again whenever a fact it depends on changes (set, deleted,
 * expired) and every check interval; when it flips, listeners (the {@code state:gates} consumers) hear of it. All
 * re-evaluations and notifications run on one thread, in order, so a flip is announced once and never out of order.
 * The first evaluation at start is the baseline and announces nothing.
 */
public final class GateService {

    private static final Logger LOG = LoggerFactory.getLogger(GateService.class);

    /** Hears of gate flips. */
    @FunctionalInterface
    public interface Listener {
        void onFlip(GateStatus status, String cause);
    }

    private final Gates gates;
    private final FactStore store;
    private final LongSupplier clock;
    private final ScheduledExecutorService executor;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();
    private final Map<String, String> causes = new ConcurrentHashMap<>();
    private final java.util.Set<String> pending = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final FactChange.Listener onFact = this::onFactChange;
    private ScheduledFuture<?> periodic;

    public GateService(Gates gates, FactStore store, LongSupplier clock, ScheduledExecutorService executor) {
        this.gates = gates;
        this.store = store;
        this.clock = clock;
        this.executor = executor;
    }

    public void start(long checkIntervalMillis) {
        for (Gate g : gates.all()) {
            GateStatus s = g.evaluate(store, clock.getAsLong());
            known.put(g.name(), s.open());
            LOG.info("gate {} is {}{}", g.name(), s.state(), s.open() ? "" : ": " + String.join("; ", s.reasons()));
        }
        if (gates.isEmpty()) {
            return;
        }
        store.addListener(onFact);
        periodic = executor.scheduleWithFixedDelay(() -> checkAll("periodic check"), checkIntervalMillis,
                checkIntervalMillis, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        store.removeListener(onFact);
        if (periodic != null) {
            periodic.cancel(false);
        }
    }

    public Gates gates() {
        return gates;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** The gate's state now (evaluated, not cached), or null for an unknown gate. */
    public GateStatus status(String name) {
        Gate g = gates.get(name);
        if (g == null) {
            return null;
        }
        GateStatus s = g.evaluate(store, clock.getAsLong());
        Boolean before = known.get(name);
        if (before != null && before != s.open() && !pending.contains(name)) {
            // seen flipped before any change reached the gate thread: announce it there
            schedule(g, "checked on request");
        }
        return s;
    }

    /** All gates now, sorted by name. */
    public List<GateStatus> statuses() {
        List<GateStatus> out = new ArrayList<>();
        for (Gate g : gates.all()) {
            out.add(status(g.name()));
        }
        return out;
    }

    private void onFactChange(FactChange change) {
        for (Gate g : gates.all()) {
            if (g.affectedBy(change.key())) {
                schedule(g, "fact " + change.key() + " " + change.kind().word());
            }
        }
    }

    /**
     * At most one pending check per gate: a burst of changes costs one evaluation, the queue stays bounded by the
     * number of gates, and the check names the latest change as its cause.
     */
    private void schedule(Gate g, String cause) {
        causes.put(g.name(), cause);
        if (pending.add(g.name())) {
            submit(() -> {
                pending.remove(g.name());
                recheck(g, causes.get(g.name()));
            });
        }
    }

    private void checkAll(String cause) {
        for (Gate g : gates.all()) {
            recheck(g, cause);
        }
    }

    private void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("gate check skipped: stopping");
        }
    }

    /** Runs on the gate thread only. */
    private void recheck(Gate g, String cause) {
        try {
            GateStatus s = g.evaluate(store, clock.getAsLong());
            Boolean before = known.put(g.name(), s.open());
            if (before == null || before == s.open()) {
                return;
            }
            LOG.info("gate {} is now {} ({}){}", g.name(), s.state(), cause,
                    s.open() ? "" : ": " + String.join("; ", s.reasons()));
            for (Listener l : listeners) {
                try {
                    l.onFlip(s, cause);
                } catch (RuntimeException e) {
                    LOG.warn("announcing gate {} {} failed: {}", g.name(), s.state(), e.toString(), e);
                }
            }
        } catch (RuntimeException e) {
            // the store is closed while stopping, or a fact cannot be read: try again at the next change or check
            LOG.debug("gate {} not checked: {}", g.name(), e.toString());
        }
    }
}
