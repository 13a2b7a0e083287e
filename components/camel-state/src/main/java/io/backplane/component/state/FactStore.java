package io.backplane.component.state;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Facts: a bounded key-value store with TTL whose values are JSON values, kept in memory and, unless it is
 * in-memory only, in a {@link StateFile}. Thread-safe; every change is written to the file before it becomes
 * visible, and listeners hear of it after the store's lock is released.
 * <p>
 * Limits: {@link Settings#maxKeys()} facts, {@link Settings#maxValueBytes()} bytes of JSON per value, and
 * {@link Settings#maxBytes()} bytes of JSON for all facts together. A write beyond a limit first purges expired facts
 * and is then refused with {@link StateException.Full}: live facts are never evicted, because a rule or a gate may be
 * relying on them (dropping "web01 is in maintenance" to make room would be a silent wrong answer).
 */
public final class FactStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FactStore.class);
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    static final int MAX_KEY_LENGTH = 1024;
    private static final DateTimeFormatter ASIDE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** What to do with a corrupt state file at start. */
    public enum OnCorrupt {
        /** Refuse to start (the default): facts must not silently vanish. */
        FAIL,
        /** Keep the file aside and start with no facts. */
        START_EMPTY;

        public static OnCorrupt parse(String text) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "fail" -> FAIL;
                case "start-empty" -> START_EMPTY;
                default -> throw new IllegalArgumentException("backplane.state.on-corrupt must be fail or start-empty, "
                                                              + "got '" + text + "'");
            };
        }
    }

    /**
     * @param file               the state file, or null to keep facts in memory only
     * @param onCorrupt          what a corrupt file at start does
     * @param maxKeys            most facts
     * @param maxValueBytes      largest value, in bytes of JSON
     * @param maxBytes           all facts together, in bytes of their records (key, times and value as JSON)
     * @param syncIntervalMillis fsync at most this long after a change; 0 = fsync every change
     * @param compactBytes       compact when the file is over this size and over twice the live facts
     */
    public record Settings(Path file, OnCorrupt onCorrupt, int maxKeys, int maxValueBytes, long maxBytes,
                           long syncIntervalMillis, long compactBytes) {

        public static final int DEFAULT_MAX_KEYS = 100_000;
        public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;
        public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
        public static final long DEFAULT_SYNC_INTERVAL = 5;
        public static final long DEFAULT_COMPACT_BYTES = 8L * 1024 * 1024;

        public Settings {
            require("max-keys", maxKeys, 1);
            require("max-value-bytes", maxValueBytes, 16);
            require("max-bytes", maxBytes, 1024);
            require("sync-interval", syncIntervalMillis, 0);
            require("compact-bytes", compactBytes, 1024);
        }

        public static Settings defaults(Path file) {
            return new Settings(file, OnCorrupt.FAIL, DEFAULT_MAX_KEYS, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_BYTES,
                    DEFAULT_SYNC_INTERVAL, DEFAULT_COMPACT_BYTES);
        }

        private static void require(String name, long value, long min) {
            if (value < min) {
                throw new IllegalArgumentException("backplane.state." + name + " must be at least " + min + ", got "
                                                   + value);
            }
        }
    }

    private record Entry(Fact fact, int bytes) {
    }

    private final Settings settings;
    private final LongSupplier clock;
    private final ScheduledExecutorService scheduler;
    private final TreeMap<String, Entry> facts = new TreeMap<>();
    private final List<FactChange.Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean syncPending = new AtomicBoolean();
    private final StateFile file;
    private long liveBytes;
    private boolean closed;

    private FactStore(Settings settings, LongSupplier clock, ScheduledExecutorService scheduler, StateFile file) {
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.file = file;
    }

    /**
     * Opens the store: locks and reads the file (if any), then compacts it. A corrupt file either fails the start
     * ({@link OnCorrupt#FAIL}: the file stays where it is and a copy is kept aside) or is moved aside
     * ({@link OnCorrupt#START_EMPTY}); either way the copy is named {@code <file>.corrupt-<UTC timestamp>}.
     *
     * @param scheduler runs the delayed fsync; null means fsync on every change
     */
    public static FactStore open(Settings settings, LongSupplier clock, ScheduledExecutorService scheduler) {
        if (settings.file() == null) {
            return new FactStore(settings, clock, scheduler, null);
        }
        Path path = settings.file();
        StateFile file = StateFile.lock(path);
        FactStore store = new FactStore(settings, clock, scheduler, file);
        try {
            Map<String, Fact> loaded;
            try {
                loaded = file.load(clock.getAsLong());
            } catch (StateFile.Corrupt e) {
                loaded = corrupt(settings, path, e.getMessage());
            } catch (IOException e) {
                throw new StateException.File("cannot read state file " + path + ": " + e, e);
            }
            synchronized (store) {
                for (Fact f : loaded.values()) {
                    byte[] record = setRecord(f, valueJson(f.value()));
                    store.facts.put(f.key(), new Entry(f, record.length));
                    store.liveBytes += record.length;
                }
                store.compact();
            }
            LOG.info("state: {} facts from {}", loaded.size(), path.toAbsolutePath());
            return store;
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static Map<String, Fact> corrupt(Settings settings, Path path, String problem) {
        Path aside = path.resolveSibling(path.getFileName() + ".corrupt-" + ASIDE_STAMP.format(Instant.now()));
        try {
            if (settings.onCorrupt() == OnCorrupt.START_EMPTY) {
                Path copy = identicalCopy(path);
                if (copy != null) {
                    // a failed start already kept this very file aside
                    Files.delete(path);
                    aside = copy;
                } else {
                    Files.move(path, aside);
                }
                LOG.warn("state file {} is corrupt: {}. It was moved to {} and Backplane starts with no facts "
                         + "(backplane.state.on-corrupt=start-empty)", path, problem, aside);
                return Map.of();
            }
            Path kept = keepCopy(path, aside);
            throw new StateException.File("state file " + path + " is corrupt: " + problem + ". Backplane did not "
                                          + "start (backplane.state.on-corrupt=fail): the file is left as it is and a "
                                          + "copy is kept as " + kept + "; repair or remove it, or set "
                                          + "backplane.state.on-corrupt=start-empty to start with no facts", null);
        } catch (IOException e) {
            throw new StateException.File("state file " + path + " is corrupt (" + problem + ") and cannot be kept "
                                          + "aside: " + e, e);
        }
    }

    /** Copies the corrupt file aside, unless an identical copy is already there (restarts in a loop add none). */
    private static Path keepCopy(Path path, Path aside) throws IOException {
        Path copy = identicalCopy(path);
        if (copy != null) {
            return copy;
        }
        Files.copy(path, aside, StandardCopyOption.COPY_ATTRIBUTES);
        return aside;
    }

    private static Path identicalCopy(Path path) throws IOException {
        String prefix = path.getFileName() + ".corrupt-";
        try (Stream<Path> siblings = Files.list(path.toAbsolutePath().getParent())) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                if (p.getFileName().toString().startsWith(prefix) && Files.mismatch(p, path) == -1) {
                    return p;
                }
            }
        }
        return null;
    }

    public Settings settings() {
        return settings;
    }

    public void addListener(FactChange.Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(FactChange.Listener listener) {
        listeners.remove(listener);
    }

    /** The live fact at {@code key}, or null (an expired fact is removed as it is found). */
    public Fact get(String key) {
        FactChange expired = null;
        Fact result;
        synchronized (this) {
            checkOpen();
            Entry e = facts.get(key);
            if (e != null && e.fact().expiredAt(clock.getAsLong())) {
                expired = removeLocked(key, FactChange.Kind.EXPIRED);
                e = null;
            }
            result = e == null ? null : e.fact();
        }
        fire(expired);
        return result;
    }

    /**
     * Sets a fact.
     *
     * @param ttlMillis time to live, or 0 for none
     * @return the fact the key held before, or null
     */
    public Fact set(String key, Object value, long ttlMillis) {
        checkKey(key);
        if (ttlMillis < 0) {
            throw new StateException("ttl must be positive, got " + ttlMillis + " ms");
        }
        Object normalized = normalize(value, key);
        byte[] json = valueJson(normalized);
        if (json.length > settings.maxValueBytes()) {
            throw new StateException.Full("value for " + key + " is " + json.length + " bytes of JSON, over the "
                                          + "limit of " + settings.maxValueBytes() + " (backplane.state.max-value-bytes)");
        }
        List<FactChange> changes = new ArrayList<>(2);
        Fact previous = null;
        StateException refused = null;
        synchronized (this) {
            checkOpen();
            long now = clock.getAsLong();
            Fact fact = new Fact(key, normalized, now, ttlMillis == 0 ? 0 : now + ttlMillis);
            byte[] record = setRecord(fact, json);
            if (!fits(key, record.length)) {
                // make room from expired facts only; live facts are never evicted
                changes.addAll(purgeLocked(now));
                refused = refusal(key, record.length);
            }
            if (refused == null) {
                if (file != null) {
                    file.append(record);
                }
                Entry replaced = facts.put(key, new Entry(fact, record.length));
                liveBytes += record.length - (replaced == null ? 0 : replaced.bytes());
                previous = replaced == null || replaced.fact().expiredAt(now) ? null : replaced.fact();
                changes.add(new FactChange(FactChange.Kind.SET, key, fact, previous));
                afterWrite();
            }
        }
        fireAll(changes);
        if (refused != null) {
            throw refused;
        }
        return previous;
    }

    private boolean fits(String key, int recordBytes) {
        return refusal(key, recordBytes) == null;
    }

    /** Why setting {@code key} would break a limit, or null when it fits. */
    private StateException refusal(String key, int recordBytes) {
        Entry old = facts.get(key);
        if (old == null && facts.size() >= settings.maxKeys()) {
            return new StateException.Full("state is full: " + facts.size() + " facts, the limit of "
                                           + "backplane.state.max-keys; refused to set " + key + " (delete facts or "
                                           + "give them a ttl)");
        }
        long after = liveBytes - (old == null ? 0 : old.bytes()) + recordBytes;
        if (after > settings.maxBytes()) {
            return new StateException.Full("state is full: the facts take " + liveBytes + " bytes and setting " + key
                                           + " would make " + after + ", over the limit of " + settings.maxBytes()
                                           + " (backplane.state.max-bytes); refused");
        }
        return null;
    }

    /** Deletes one fact; returns it, or null when there was none. */
    public Fact delete(String key) {
        FactChange change;
        synchronized (this) {
            checkOpen();
            Entry e = facts.get(key);
            if (e == null) {
                return null;
            }
            change = removeLocked(key, e.fact().expiredAt(clock.getAsLong())
                    ? FactChange.Kind.EXPIRED : FactChange.Kind.DELETED);
            afterWrite();
        }
        fire(change);
        return change.kind() == FactChange.Kind.DELETED ? change.fact() : null;
    }

    /** Deletes every fact whose key starts with {@code prefix}; returns the live ones removed. */
    public List<Fact> deletePrefix(String prefix) {
        List<FactChange> changes = new ArrayList<>();
        synchronized (this) {
            checkOpen();
            long now = clock.getAsLong();
            for (String key : keysUnder(prefix)) {
                Entry e = facts.get(key);
                changes.add(removeLocked(key, e.fact().expiredAt(now) ? FactChange.Kind.EXPIRED
                        : FactChange.Kind.DELETED));
            }
            afterWrite();
        }
        fireAll(changes);
        List<Fact> removed = new ArrayList<>();
        for (FactChange c : changes) {
            if (c.kind() == FactChange.Kind.DELETED) {
                removed.add(c.fact());
            }
        }
        return removed;
    }

    /** The live facts whose keys start with {@code prefix} ("" for all), sorted by key. */
    public List<Fact> list(String prefix) {
        List<FactChange> expired = new ArrayList<>();
        List<Fact> result = new ArrayList<>();
        synchronized (this) {
            checkOpen();
            long now = clock.getAsLong();
            for (String key : keysUnder(prefix)) {
                Fact f = facts.get(key).fact();
                if (f.expiredAt(now)) {
                    expired.add(removeLocked(key, FactChange.Kind.EXPIRED));
                } else {
                    result.add(f);
                }
            }
        }
        fireAll(expired);
        return result;
    }

    /** Removes every expired fact (run periodically); returns how many. */
    public int purgeExpired() {
        List<FactChange> changes;
        synchronized (this) {
            if (closed) {
                return 0;
            }
            changes = purgeLocked(clock.getAsLong());
        }
        fireAll(changes);
        return changes.size();
    }

    /** Number of facts held (expired ones not yet purged included). */
    public synchronized int size() {
        return facts.size();
    }

    /** Bytes of the records of all facts held. */
    public synchronized long bytes() {
        return liveBytes;
    }

    /** The size of the state file, or 0 in memory. */
    public synchronized long fileSize() {
        return file == null ? 0 : file.size();
    }

    public Path file() {
        return settings.file();
    }

    private List<String> keysUnder(String prefix) {
        List<String> keys = new ArrayList<>();
        for (String key : facts.tailMap(prefix, true).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            keys.add(key);
        }
        return keys;
    }

    private List<FactChange> purgeLocked(long now) {
        List<FactChange> changes = new ArrayList<>();
        for (Iterator<Map.Entry<String, Entry>> it = facts.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getValue().fact().expiredAt(now)) {
                if (file != null) {
                    // journaled, so that a clock set back before a restart cannot bring it back
                    file.append(delRecord(e.getKey(), now));
                }
                it.remove();
                liveBytes -= e.getValue().bytes();
                changes.add(new FactChange(FactChange.Kind.EXPIRED, e.getKey(), e.getValue().fact(), null));
            }
        }
        if (!changes.isEmpty()) {
            afterWrite();
        }
        return changes;
    }

    private FactChange removeLocked(String key, FactChange.Kind kind) {
        if (file != null) {
            file.append(delRecord(key, clock.getAsLong()));
        }
        Entry e = facts.remove(key);
        liveBytes -= e.bytes();
        return new FactChange(kind, key, e.fact(), null);
    }

    /** Schedules the fsync, and compacts when the file has grown well beyond the live facts. */
    private void afterWrite() {
        if (file == null) {
            return;
        }
        if (file.size() > settings.compactBytes() && file.size() > 2 * liveBytes) {
            compact();
            return;
        }
        if (scheduler == null || settings.syncIntervalMillis() == 0) {
            file.sync();
        } else if (syncPending.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                syncPending.set(false);
                file.sync();
            }, settings.syncIntervalMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void compact() {
        if (file == null) {
            return;
        }
        List<byte[]> records = new ArrayList<>(facts.size());
        long now = clock.getAsLong();
        for (Entry e : facts.values()) {
            if (!e.fact().expiredAt(now)) {
                records.add(setRecord(e.fact(), valueJson(e.fact().value())));
            }
        }
        file.rewrite(records);
    }

    private void checkOpen() {
        if (closed) {
            throw new StateException("the state store is closed");
        }
    }

    private void fire(FactChange change) {
        if (change != null) {
            for (FactChange.Listener l : listeners) {
                notify(l, change);
            }
        }
    }

    private void fireAll(Collection<FactChange> changes) {
        for (FactChange c : changes) {
            fire(c);
        }
    }

    private static void notify(FactChange.Listener l, FactChange change) {
        try {
            l.onChange(change);
        } catch (RuntimeException e) {
            LOG.warn("a listener failed on {} {}: {}", change.kind().word(), change.key(), e.toString(), e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (file != null) {
                file.close();
            }
        }
    }

    // ---- keys, values and records ----

    /** A key: 1 to 1024 characters, no control characters, not ending with '/' (which means a prefix). */
    public static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new StateException("the key is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new StateException("key is " + key.length() + " characters, over the limit of " + MAX_KEY_LENGTH
                                     + ": " + key.substring(0, 60) + "...");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new StateException("key '" + key.replaceAll("\\p{Cntrl}", "?") + "' contains a control "
                                         + "character");
            }
        }
        if (key.endsWith("/")) {
            throw new StateException("key '" + key + "' ends with '/': a key ending with '/' is a prefix (did a "
                                     + "template value come out empty?)");
        }
    }

    /**
     * A read-only copy of a JSON value: strings, numbers, booleans, maps with string keys and lists (null only inside
     * them). Anything else is refused, naming the type.
     */
    static Object normalize(Object value, String key) {
        if (value == null) {
            throw new StateException("no value for " + key + " (the value is null: to remove a fact, use "
                                     + "state:delete)");
        }
        return copy(value, key);
    }

    private static Object copy(Object value, String key) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
            || value instanceof Long || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new StateException("value for " + key + " is " + d + ", which JSON cannot hold");
            }
            return d;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>(map.size() * 2);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new StateException("value for " + key + " is a map with a non-string key " + e.getKey());
                }
                out.put(k, copy(e.getValue(), key));
            }
            return Collections.unmodifiableMap(out);
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(copy(o, key));
            }
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Object[] array) {
            return copy(List.of(array), key);
        }
        throw new StateException("value for " + key + " is a " + value.getClass().getName() + ", not a JSON value "
                                 + "(string, number, boolean, map or list)");
    }

    static byte[] valueJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new StateException("cannot write the value as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Object fromJson(JsonNode node) {
        try {
            return copy(JSON.treeToValue(node, Object.class), "?");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] setRecord(Fact fact, byte[] valueJson) {
        StringBuilder head = new StringBuilder(64 + fact.key().length());
        head.append("{\"op\":\"set\",\"key\":").append(quote(fact.key())).append(",\"updated\":")
                .append(fact.updated());
        if (fact.expires() != 0) {
            head.append(",\"expires\":").append(fact.expires());
        }
        head.append(",\"value\":");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + valueJson.length + 2];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(valueJson, 0, out, h.length, valueJson.length);
        out[out.length - 2] = '}';
        out[out.length - 1] = '\n';
        return out;
    }

    private static byte[] delRecord(String key, long at) {
        return ("{\"op\":\"del\",\"key\":" + quote(key) + ",\"at\":" + at + "}\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
