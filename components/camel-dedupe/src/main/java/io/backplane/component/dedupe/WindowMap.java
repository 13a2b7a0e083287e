package io.backplane.component.dedupe;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys with an expiry time, at most {@code maxKeys} of them. Every {@link #put} re-inserts the key at the tail and
 * callers always expire a key one fixed window after "now", so the map's order is expiry order: expired keys are
 * removed from the head in O(1) each, and when the map is full the head (the key closest to expiry) is evicted.
 * Not thread-safe: callers lock.
 */
final class WindowMap<V> {

    private static final class Slot<V> {
        V value;
        long expiresAt;
    }

    private final LinkedHashMap<String, Slot<V>> map = new LinkedHashMap<>();
    private final int maxKeys;
    private long evictions;

    WindowMap(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be >= 1, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    /** The live value of a key, or null when absent or expired (an expired key is removed). */
    V get(String key, long now) {
        Slot<V> slot = map.get(key);
        if (slot == null) {
            return null;
        }
        if (slot.expiresAt <= now) {
            map.remove(key);
            return null;
        }
        return slot.value;
    }

    /** Stores the value until {@code expiresAt}; may evict the key closest to expiry when full. */
    void put(String key, V value, long expiresAt, long now) {
        Slot<V> slot = map.remove(key);
        if (slot == null) {
            if (map.size() >= maxKeys) {
                purge(now);
            }
            if (map.size() >= maxKeys) {
                Iterator<Map.Entry<String, Slot<V>>> head = map.entrySet().iterator();
                head.next();
                head.remove();
                evictions++;
            }
            slot = new Slot<>();
        }
        slot.value = value;
        slot.expiresAt = expiresAt;
        map.put(key, slot);
    }

    boolean remove(String key) {
        return map.remove(key) != null;
    }

    /** Removes the expired keys at the head; returns how many. */
    int purge(long now) {
        int removed = 0;
        Iterator<Slot<V>> it = map.values().iterator();
        while (it.hasNext()) {
            if (it.next().expiresAt > now) {
                break;
            }
            it.remove();
            removed++;
        }
        return removed;
    }

    void clear() {
        map.clear();
    }

    int size() {
        return map.size();
    }

    long evictions() {
        return evictions;
    }

    int maxKeys() {
        return maxKeys;
    }
}
