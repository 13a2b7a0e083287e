package io.backplane.component.watchdog;

import io.backplane.core.KeyReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import io.backplane.core.Event;
import io.backplane.core.Events;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running watchdog. It subscribes to the bus through a {@code bus:<glob>} consumer of its own (so it works on any
 * bus transport), remembers per key when it last reported, and emits missing and back events into its route. Events
 * and the timer are serialised by one lock, which is also held while an event is emitted: a key's missing event is
 * always handed to the route before its back event.
 */
public class WatchdogConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WatchdogConsumer.class);
    static final String SOURCE_PREFIX = "backplane/watchdog/";

    /** What the watchdog knows about one key. */
    private static final class KeyState {
        final String key;
        long lastSeen;
        String lastTag;
        String lastId;
        boolean seen;
        long missingSince;

        KeyState(String key) {
            this.key = key;
        }
    }

    private final KeyReader keyReader;
    private final String source;
    private final ReentrantLock lock = new ReentrantLock();
    /** Reporting keys, stalest first (every event re-inserts its key at the tail). */
    private final LinkedHashMap<String, KeyState> active = new LinkedHashMap<>();
    /** Missing keys, longest missing first. */
    private final LinkedHashMap<String, KeyState> missing = new LinkedHashMap<>();
    private org.apache.camel.Consumer busConsumer;
    private long received;
    private long ignored;
    private long missingEmitted;
    private long backEmitted;
    private long evicted;
    private boolean warnedEviction;
    private boolean warnedNoKey;

    WatchdogConsumer(WatchdogEndpoint endpoint, Processor processor, KeyReader keyReader) {
        super(endpoint, processor);
        this.keyReader = keyReader;
        this.source = SOURCE_PREFIX + endpoint.getName();
    }

    @Override
    public WatchdogEndpoint getEndpoint() {
        return (WatchdogEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        WatchdogEndpoint endpoint = getEndpoint();
        lock.lock();
        try {
            active.clear();
            missing.clear();
            received = ignored = missingEmitted = backEmitted = evicted = 0;
            long now = clock();
            for (String k : endpoint.expectedKeys()) {
                // counted from the start: missing if nothing comes within timeout
                KeyState s = new KeyState(k);
                s.lastSeen = now;
                s.lastTag = endpoint.neverSeenTag();
                active.put(k, s);
            }
        } finally {
            lock.unlock();
        }
        Endpoint bus = endpoint.getCamelContext().getEndpoint("bus:" + endpoint.getGlob());
        busConsumer = bus.createConsumer(this::onEvent);
        endpoint.getComponent().register(this);
        try {
            ServiceHelper.startService(busConsumer);
        } catch (Exception e) {
            endpoint.getComponent().unregister(this);
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().unregister(this);
        ServiceHelper.stopAndShutdownService(busConsumer);
        busConsumer = null;
        lock.lock();
        try {
            active.clear();
            missing.clear();
        } finally {
            lock.unlock();
        }
        super.doStop();
    }

    private long clock() {
        return getEndpoint().getComponent().getClock().millis();
    }

    /** One event from the bus (on the bus's dispatch thread). */
    private void onEvent(Exchange exchange) {
        Event event = exchange.getMessage().getBody(Event.class);
        lock.lock();
        try {
            received++;
            if (event == null || event.source() != null && event.source().startsWith(SOURCE_PREFIX)) {
                // a watchdog's own missing/back events are never heartbeats
                ignored++;
                return;
            }
            String key = keyReader.read(exchange);
            if (key == null) {
                ignored++;
                if (!warnedNoKey) {
                    warnedNoKey = true;
                    LOG.warn("watchdog:{}: event {} ({}) has no key at '{}': ignored (counted; further ones are not "
                             + "logged)", getEndpoint().getName(), event.id(), event.type(), keyReader);
                }
                return;
            }
            long now = clock();
            KeyState s = missing.remove(key);
            if (s != null) {
                Event back = backEvent(s, event, now);
                seen(s, event, now);
                active.put(key, s);
                backEmitted++;
                emit(back, key, "back");
                return;
            }
            s = active.remove(key);
            if (s == null) {
                makeRoom();
                s = new KeyState(key);
            }
            seen(s, event, now);
            active.put(key, s);
        } finally {
            lock.unlock();
        }
    }

    private static void seen(KeyState s, Event event, long now) {
        s.lastSeen = now;
        s.lastTag = event.type();
        s.lastId = event.id();
        s.seen = true;
    }

    private void makeRoom() {
        if (active.size() + missing.size() < getEndpoint().getMaxKeys()) {
            return;
        }
        Iterator<KeyState> oldest = (missing.isEmpty() ? active : missing).values().iterator();
        KeyState gone = oldest.next();
        oldest.remove();
        evicted++;
        if (!warnedEviction) {
            warnedEviction = true;
            LOG.warn("watchdog:{} watches maxKeys={} keys: forgetting '{}' and further ones (counted in its stats)",
                    getEndpoint().getName(), getEndpoint().getMaxKeys(), gone.key);
        }
    }

    /** Emits missing for every key silent for the timeout; called by the component's timer. */
    void check(long now) {
        long timeout = getEndpoint().getTimeout();
        lock.lock();
        try {
            if (active.isEmpty() || active.values().iterator().next().lastSeen + timeout > now) {
                return;
            }
            List<KeyState> due = new ArrayList<>();
            for (Iterator<KeyState> it = active.values().iterator(); it.hasNext();) {
                KeyState s = it.next();
                if (s.lastSeen + timeout > now) {
                    break;
                }
                it.remove();
                due.add(s);
            }
            for (KeyState s : due) {
                s.missingSince = now;
                missing.put(s.key, s);
                missingEmitted++;
                emit(missingEvent(s, now), s.key, "missing");
            }
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Object> common(KeyState s, long now) {
        WatchdogEndpoint e = getEndpoint();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("watchdog", e.getName());
        data.put("key", s.key);
        data.put("expected", e.getGlob());
        data.put("timeoutMs", e.getTimeout());
        data.put("seen", s.seen);
        if (s.seen) {
            data.put("lastSeen", Instant.ofEpochMilli(s.lastSeen).toString());
            data.put("lastType", s.lastTag);
            data.put("lastEventId", s.lastId);
        }
        data.put("silentForMs", now - s.lastSeen);
        return data;
    }

    private Event missingEvent(KeyState s, long now) {
        return Event.builder(s.lastTag + "/missing").subject(s.key).source(source)
                .time(Instant.ofEpochMilli(now).toString()).causationId(s.lastId).data(common(s, now)).build();
    }

    private Event backEvent(KeyState s, Event returned, long now) {
        Map<String, Object> data = common(s, now);
        data.put("missingSince", Instant.ofEpochMilli(s.missingSince).toString());
        data.put("backType", returned.type());
        data.put("backEventId", returned.id());
        return Event.builder(returned.type() + "/back").subject(s.key).source(source)
                .time(Instant.ofEpochMilli(now).toString()).causedBy(returned).data(data).build();
    }

    private void emit(Event event, String key, String state) {
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            Events.toMessage(event, message);
            message.setHeader(WatchdogConstants.KEY, key);
            message.setHeader(WatchdogConstants.STATE, state);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing watchdog event " + event.type(), exchange,
                    exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    WatchdogStats stats() {
        lock.lock();
        try {
            return new WatchdogStats(received, ignored, missingEmitted, backEmitted, evicted, active.size(),
                    missing.size());
        } finally {
            lock.unlock();
        }
    }
}
