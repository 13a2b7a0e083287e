package io.backplane.component.dedupe;

import io.backplane.core.MonotonicClock;
import java.time.Clock;
import java.time.Duration;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * An {@link IdempotentRepository} whose keys are forgotten one {@code window} after they were added, for Camel's own
 * {@code idempotentConsumer} EIP: "once per key within 5 minutes". A key seen again after its window passes
 * again and opens a new window. At most {@code maxKeys} keys are held; when full, expired keys are dropped first,
 * then the key closest to expiry is evicted (it may then pass again early) and counted in {@link #getEvictions()}.
 * Memory: about 150 bytes per key plus the key itself.
 * <p>
 * In YAML: a {@code beans:} entry of this type with {@code window: 5m} (and optionally {@code maxKeys}), referenced
 * by name from {@code idempotentConsumer: {idempotentRepository: onceIn5m}}.
 */
@ManagedResource(description = "Time-window idempotent repository")
public class TimeWindowIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    public static final int DEFAULT_MAX_KEYS = 100_000;

    private Duration window;
    private int maxKeys = DEFAULT_MAX_KEYS;
    private Clock clock = MonotonicClock.INSTANCE;

    private WindowMap<Boolean> keys;
    private long duplicates;

    public TimeWindowIdempotentRepository() {
    }

    public TimeWindowIdempotentRepository(Duration window, int maxKeys) {
        this.window = window;
        this.maxKeys = maxKeys;
    }

    private WindowMap<Boolean> keys() {
        if (keys == null) {
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("TimeWindowIdempotentRepository needs a window > 0 (e.g. window: "
                                                   + "5m), was " + window);
            }
            keys = new WindowMap<>(maxKeys);
        }
        return keys;
    }

    @Override
    protected void doStart() {
        // fail at route start, not at the first event, when the bean is misconfigured
        synchronized (this) {
            keys();
        }
    }

    @Override
    public synchronized boolean add(String key) {
        WindowMap<Boolean> k = keys();
        long now = clock.millis();
        if (k.get(key, now) != null) {
            duplicates++;
            return false;
        }
        k.put(key, Boolean.TRUE, now + window.toMillis(), now);
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        return keys().get(key, clock.millis()) != null;
    }

    @Override
    public synchronized boolean remove(String key) {
        return keys().remove(key);
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    @ManagedOperation(description = "Forget all keys")
    public synchronized void clear() {
        if (keys != null) {
            keys.clear();
        }
    }

    @ManagedAttribute(description = "Keys currently held (expired keys not yet purged included)")
    public synchronized int getSize() {
        return keys == null ? 0 : keys.size();
    }

    @ManagedAttribute(description = "Keys evicted because maxKeys was reached")
    public synchronized long getEvictions() {
        return keys == null ? 0 : keys.evictions();
    }

    @ManagedAttribute(description = "Keys refused as duplicates within their window")
    public synchronized long getDuplicates() {
        return duplicates;
    }

    public Duration getWindow() {
        return window;
    }

    /** How long a key is remembered after it was added, e.g. 5m, 30s, PT1H. */
    public synchronized void setWindow(Duration window) {
        this.window = window;
        this.keys = null;
    }

    @ManagedAttribute(description = "The most keys held")
    public int getMaxKeys() {
        return maxKeys;
    }

    public synchronized void setMaxKeys(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be >= 1, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.keys = null;
    }

    public Clock getClock() {
        return clock;
    }

    /** The time source (tests inject one); by default a monotonic clock immune to system clock steps. */
    public void setClock(Clock clock) {
        this.clock = clock;
    }
}
