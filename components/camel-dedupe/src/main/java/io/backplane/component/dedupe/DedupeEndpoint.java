package io.backplane.component.dedupe;

import io.backplane.core.KeyReader;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Suppress repeated events per key: once within a window, only the Nth within a window, at most N per window, or
 * (debounce) the last one after the key was quiet, delivered later to {@code from: dedupe:<name>}.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dedupe", title = "Backplane Dedupe", syntax = "dedupe:name",
             category = { Category.CORE }, headersClass = DedupeConstants.class)
public class DedupeEndpoint extends DefaultEndpoint {

    /** count and rate keep this many timestamps per key: the bound on their memory. */
    static final int MAX_THRESHOLD = 10_000;

    @UriPath(description = "The name of the dedupe state. Endpoints with the same name share it (and must use the same "
                           + "mode, window, count/limit, maxDelay and maxKeys); for debounce, from: dedupe:<name> "
                           + "receives what to: dedupe:<name>?mode=debounce holds.")
    @Metadata(required = true)
    private String name;

    @UriParam(label = "producer", defaultValue = "once", enums = "once,count,rate,debounce",
              description = "once: the first event of a key passes, the others within window after it are "
                            + "suppressed. count: the count-th event of a key within a sliding window passes, then "
                            + "counting starts again. rate: at most limit events of a key pass within any sliding "
                            + "window. debounce: every event is held and the last one of a key is emitted to the "
                            + "consumer once the key was quiet for window.")
    private DedupeMode mode = DedupeMode.once;

    @UriParam(label = "producer", javaType = "java.time.Duration",
              description = "The window (once, count, rate) or the quiet period (debounce): 5m, 30s, 1h, 500ms, or "
                            + "milliseconds. Required.")
    @Metadata(required = true)
    private long window;

    @UriParam(label = "producer", defaultValue = "subject",
              description = "What groups events: comma-separated event paths (subject, type, data.labels.service; "
                            + "several values are joined with '/'), or an expression in keyLanguage. An event without "
                            + "a key fails with an error.")
    private String key = "subject";

    @UriParam(label = "producer",
              description = "A Camel language (simple, jsonpath, ev, ...) in which key is written; empty: key is a "
                            + "list of event paths.")
    private String keyLanguage;

    @UriParam(label = "producer",
              description = "mode=count only, required: how many events of a key within window make one pass "
                            + "(1 to 10000).")
    private int count;

    @UriParam(label = "producer",
              description = "mode=rate only, required: the most events of a key that pass within any window (1 to "
                            + "10000).")
    private int limit;

    @UriParam(label = "producer", javaType = "java.time.Duration",
              description = "mode=debounce only: emit at the latest this long after the first held event of a key, "
                            + "even if it never goes quiet (a flapping key). 0: no limit.")
    private long maxDelay;

    @UriParam(label = "producer", defaultValue = "100000",
              description = "The most keys held by this name. When full, expired keys go first, then the key closest "
                            + "to expiry (once, count, rate: it may pass again early; debounce: its held event is "
                            + "dropped); evictions are counted.")
    private int maxKeys = 100_000;

    @UriParam(label = "producer", defaultValue = "true",
              description = "Stop the exchange (route stop) when the event is suppressed. false: only set the "
                            + "CamelDedupeSuppressed header and continue, so a choice can decide.")
    private boolean stopOnSuppress = true;

    public DedupeEndpoint(String uri, DedupeComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public DedupeComponent getComponent() {
        return (DedupeComponent) super.getComponent();
    }

    void validate() {
        String me = "dedupe:" + name;
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dedupe needs a name, e.g. dedupe:alerts?window=5m");
        }
        if (count != 0 && mode != DedupeMode.count) {
            throw new IllegalArgumentException(me + ": count only applies to mode=count (mode is " + mode + ")");
        }
        if (limit != 0 && mode != DedupeMode.rate) {
            throw new IllegalArgumentException(me + ": limit only applies to mode=rate (mode is " + mode + ")");
        }
        if (maxDelay != 0 && mode != DedupeMode.debounce) {
            throw new IllegalArgumentException(me + ": maxDelay only applies to mode=debounce (mode is " + mode + ")");
        }
        if (maxDelay < 0) {
            throw new IllegalArgumentException(me + ": maxDelay must be >= 0, was " + maxDelay + "ms");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException(me + ": maxKeys must be >= 1, was " + maxKeys);
        }
    }

    /** Producer-only checks: a consumer endpoint needs no window. */
    private void validateProducer() {
        String me = "dedupe:" + name;
        if (window <= 0) {
            throw new IllegalArgumentException(me + ": window is required and must be > 0 (e.g. window=5m), was "
                                               + window + "ms");
        }
        if (mode == DedupeMode.count && (count < 1 || count > MAX_THRESHOLD)) {
            throw new IllegalArgumentException(me + ": mode=count needs count between 1 and " + MAX_THRESHOLD
                                               + ", was " + count);
        }
        if (mode == DedupeMode.rate && (limit < 1 || limit > MAX_THRESHOLD)) {
            throw new IllegalArgumentException(me + ": mode=rate needs limit between 1 and " + MAX_THRESHOLD
                                               + ", was " + limit);
        }
    }

    int threshold() {
        return mode == DedupeMode.count ? count : mode == DedupeMode.rate ? limit : 0;
    }

    @Override
    public Producer createProducer() {
        validateProducer();
        return new DedupeProducer(this, KeyReader.of(getCamelContext(), key, keyLanguage, "dedupe:" + name));
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        DedupeConsumer consumer = new DedupeConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public DedupeMode getMode() {
        return mode;
    }

    public void setMode(DedupeMode mode) {
        this.mode = mode;
    }

    public long getWindow() {
        return window;
    }

    public void setWindow(long window) {
        this.window = window;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getKeyLanguage() {
        return keyLanguage;
    }

    public void setKeyLanguage(String keyLanguage) {
        this.keyLanguage = keyLanguage;
    }

    public int getCount() {
        return count;
    }

    public void setCount(int count) {
        this.count = count;
    }

    public int getLimit() {
        return limit;
    }

    public void setLimit(int limit) {
        this.limit = limit;
    }

    public long getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(long maxDelay) {
        this.maxDelay = maxDelay;
    }

    public int getMaxKeys() {
        return maxKeys;
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    public boolean isStopOnSuppress() {
        return stopOnSuppress;
    }

    public void setStopOnSuppress(boolean stopOnSuppress) {
        this.stopOnSuppress = stopOnSuppress;
    }
}
