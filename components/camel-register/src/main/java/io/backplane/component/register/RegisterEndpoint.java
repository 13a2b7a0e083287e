package io.backplane.component.register;

import java.time.Duration;
import java.util.Map;

import io.backplane.core.EventPath;
import io.backplane.core.KeyReader;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.NoSuchLanguageException;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.Language;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Per-key windows over a numeric value of the event (count, sum, mean, min, max, percentiles, rate, EWMA, slope,
 * time to threshold), results in headers for the next choice. Memory is bounded (maxKeys, idleTimeout, maxSamples).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "register", title = "Register", syntax = "register:name",
             producerOnly = true, remote = false, category = { Category.MONITORING },
             headersClass = RegisterConstants.class)
@ManagedResource(description = "Managed RegisterEndpoint")
public class RegisterEndpoint extends DefaultEndpoint {

    /** The language name of the default, compiled event path (not a Camel language). */
    public static final String PATH_LANGUAGE = "path";

    @UriPath(description = "The register's name. Endpoints with the same name in one Camel context share the "
                           + "register (one route updates it, another may read it with mode=read).")
    @Metadata(required = true)
    private String name;

    @UriParam(defaultValue = "update", enums = "update,read",
              description = "update: read the value from the event, add it to the key's window and set the results. "
                            + "read: set the results of the key's window without adding anything (the value and the "
                            + "window options are not used; the register is the one an update endpoint created).")
    private String mode = "update";

    @UriParam(defaultValue = "subject",
              description = "The key of the event's window, in keyLanguage: by default event paths such as subject "
                            + "or data.host; several, comma-separated (subject,data.mount), are joined with '/'.")
    private String key = "subject";

    @UriParam(defaultValue = PATH_LANGUAGE,
              description = "Language of key: path (a dotted event path compiled once, the fast default) or any "
                            + "Camel language on the classpath (simple, jsonpath, constant, ev, ...).")
    private String keyLanguage = PATH_LANGUAGE;

    @UriParam(description = "The numeric value to record, in valueLanguage: by default an event path such as "
                            + "data.used_pct. Numbers and numeric strings are accepted. Required in update mode.")
    private String value;

    @UriParam(defaultValue = PATH_LANGUAGE,
              description = "Language of value: path (a dotted event path compiled once, the fast default) or any "
                            + "Camel language on the classpath (jsonpath, simple, ev, ...).")
    private String valueLanguage = PATH_LANGUAGE;

    @UriParam(defaultValue = "count,mean",
              description = "Comma-separated operations to compute (only these are computed and set as headers): "
                            + "count, sum, mean, min, max, p50, p95, p99, rate, eventRate, ewma, slope, predict.")
    private String ops = "count,mean";

    @UriParam(javaType = "java.time.Duration", defaultValue = "0",
              description = "Time window per key, e.g. 5m, 6h, 30s: samples older than this (relative to the "
                            + "newest) leave the window. 0 = no time window (then size is required).")
    private long window;

    @UriParam(defaultValue = "0",
              description = "Count window per key: the last size samples. 0 = no count window (then window is "
                            + "required). With both, a sample leaves at whichever limit comes first.")
    private int size;

    @UriParam(label = "advanced", defaultValue = "" + RegisterSettings.DEFAULT_MAX_SAMPLES,
              description = "Most samples kept per key whatever the window: a time window holding more drops its "
                            + "oldest samples early (counted as overflowSamples). Memory: 16 bytes per sample, 24 "
                            + "with min/max/percentiles.")
    private int maxSamples = RegisterSettings.DEFAULT_MAX_SAMPLES;

    @UriParam(defaultValue = "" + RegisterSettings.DEFAULT_MAX_KEYS,
              description = "Most keys in the register; a new key beyond it evicts the least recently updated key "
                            + "(counted as evictions).")
    private int maxKeys = RegisterSettings.DEFAULT_MAX_KEYS;

    @UriParam(javaType = "java.time.Duration", defaultValue = "0",
              description = "Keys not updated for this long are evicted (counted as idleEvictions). 0 = the time "
                            + "window; with a count window only, keys are never idle-evicted (maxKeys still bounds "
                            + "them).")
    private long idleTimeout;

    @UriParam(defaultValue = "arrival", enums = "arrival,event",
              description = "What times a sample: arrival (a monotonic clock when the exchange reaches the register) "
                            + "or event (the event's RFC 3339 time attribute; a late sample is kept at its key's "
                            + "newest time, one older than the whole window is dropped).")
    private String timestamp = "arrival";

    @UriParam(defaultValue = "" + RegisterSettings.DEFAULT_ALPHA,
              description = "Smoothing factor of ewma, in (0, 1]: the weight of the newest sample.")
    private double alpha = RegisterSettings.DEFAULT_ALPHA;

    @UriParam(javaType = "java.lang.Double",
              description = "The value whose time of reaching predict computes (CamelRegisterSecondsToThreshold), "
                            + "e.g. 100 for a disk percentage. Required by, and only used with, ops=predict.")
    private Double threshold;

    @UriParam(defaultValue = "stop", enums = "stop,continue",
              description = "When the event lacks the key or value, the value is not a finite number, the event time "
                            + "is invalid, or the sample is older than the window: stop (the exchange ends there; the "
                            + "rule is not evaluated) or continue (without result headers, CamelRegisterSkipped says "
                            + "why). Counted either way.")
    private String onMissing = "stop";

    @UriParam(label = "advanced", defaultValue = "1000",
              description = "Skipped events are logged at WARN: the first, then one in every warnEvery (with the "
                            + "running count).")
    private int warnEvery = 1000;

    @UriParam(label = "advanced", defaultValue = "false",
              description = "Also set CamelRegisterStats (the register's counters as a Map) on each exchange.")
    private boolean statsHeader;

    @UriParam(label = "advanced", defaultValue = "" + RegisterSettings.DEFAULT_MAX_KEY_LENGTH,
              description = "Longest key accepted, in characters; longer keys are skipped as missingKey so that "
                            + "memory stays bounded.")
    private int maxKeyLength = RegisterSettings.DEFAULT_MAX_KEY_LENGTH;

    private int opsMask;
    private boolean readMode;
    private boolean eventTime;
    private boolean continueOnMissing;
    private KeyReader keyReader;
    private boolean keyFromEvent;
    private Source valueSource;
    private Register register;

    public RegisterEndpoint(String uri, RegisterComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public RegisterComponent getComponent() {
        return (RegisterComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new RegisterProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        throw new UnsupportedOperationException("register: is used with to: (it updates or reads a register in the "
                                                + "middle of a route); it cannot start a route with from:");
    }

    /** Checks and compiles the options; binds an update endpoint to its register. Called at creation. */
    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a register needs a name: register:disk?value=data.used_pct");
        }
        readMode = switch (mode) {
            case "update" -> false;
            case "read" -> true;
            default -> throw new IllegalArgumentException("mode=" + mode + " is not one of update, read");
        };
        eventTime = switch (timestamp) {
            case "arrival" -> false;
            case "event" -> true;
            default -> throw new IllegalArgumentException("timestamp=" + timestamp + " is not one of arrival, event");
        };
        continueOnMissing = switch (onMissing) {
            case "stop" -> false;
            case "continue" -> true;
            default -> throw new IllegalArgumentException("onMissing=" + onMissing + " is not one of stop, continue");
        };
        opsMask = RegisterOp.parse(ops);
        if (RegisterOp.PREDICT.in(opsMask) && threshold == null) {
            throw new IllegalArgumentException("ops=predict needs threshold=<value>, e.g. threshold=100");
        }
        if (threshold != null && !RegisterOp.PREDICT.in(opsMask)) {
            throw new IllegalArgumentException("threshold is only used by the predict op: add predict to ops=" + ops);
        }
        if (threshold != null && !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number, not " + threshold);
        }
        if (warnEvery < 1) {
            throw new IllegalArgumentException("warnEvery must be at least 1, not " + warnEvery);
        }
        keyFromEvent = keyLanguage == null || keyLanguage.isBlank() || PATH_LANGUAGE.equals(keyLanguage);
        try {
            // the core's key reader, as dedupe: and watchdog: read keys (key=subject,data.mount joins with '/')
            keyReader = KeyReader.of(getCamelContext(), key, keyFromEvent ? null : keyLanguage, "register:" + name);
        } catch (NoSuchLanguageException e) {
            throw new IllegalArgumentException("keyLanguage=" + keyLanguage + ": no such Camel language on the "
                                               + "classpath (add its jar, e.g. camel-" + keyLanguage + ")", e);
        }
        if (!readMode) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("register:" + name + " needs value=<event path>, e.g. "
                                                   + "value=data.used_pct (or mode=read)");
            }
            valueSource = source("value", value, valueLanguage);
            RegisterSettings settings = new RegisterSettings(Duration.ofMillis(window), size, maxSamples, maxKeys,
                    Duration.ofMillis(idleTimeout), eventTime, alpha, maxKeyLength);
            register = getComponent().registerFor(name, settings);
        }
    }

    private Source source(String option, String text, String language) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(option + " is empty");
        }
        if (language == null || language.isBlank() || PATH_LANGUAGE.equals(language)) {
            EventPath path;
            try {
                path = EventPath.compile(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + "=" + text + ": " + e.getMessage() + " (or set "
                                                   + option + "Language to a Camel language such as simple or "
                                                   + "jsonpath)", e);
            }
            return new PathSource(path);
        }
        CamelContext context = getCamelContext();
        Language lang;
        try {
            lang = context.resolveLanguage(language);
        } catch (NoSuchLanguageException e) {
            throw new IllegalArgumentException(option + "Language=" + language + ": no such Camel language on the "
                                               + "classpath (add its jar, e.g. camel-" + language + ")", e);
        }
        Expression expression = lang.createExpression(text);
        expression.init(context);
        return new ExpressionSource(expression);
    }

    /** Reads the key or the value of an exchange. */
    interface Source {
        /** True when it reads the event map (the body must be an event). */
        boolean needsEvent();

        Object read(Exchange exchange, Map<String, ?> event);
    }

    private record PathSource(EventPath path) implements Source {
        @Override
        public boolean needsEvent() {
            return true;
        }

        @Override
        public Object read(Exchange exchange, Map<String, ?> event) {
            return path.read(event);
        }
    }

    private record ExpressionSource(Expression expression) implements Source {
        @Override
        public boolean needsEvent() {
            return false;
        }

        @Override
        public Object read(Exchange exchange, Map<String, ?> event) {
            return expression.evaluate(exchange, Object.class);
        }
    }

    int opsMask() {
        return opsMask;
    }

    boolean readMode() {
        return readMode;
    }

    boolean eventTime() {
        return eventTime;
    }

    boolean continueOnMissing() {
        return continueOnMissing;
    }

    KeyReader keyReader() {
        return keyReader;
    }

    /** True when the key is read from the event map (event paths), so the body must be an event. */
    boolean keyFromEvent() {
        return keyFromEvent;
    }

    Source valueSource() {
        return valueSource;
    }

    /** The register: the one this endpoint updates, or (read mode) the one of that name once it exists. */
    public Register register() {
        Register r = register;
        if (r == null) {
            r = getComponent().getRegister(name);
            register = r;
        }
        return r;
    }

    private RegisterStats statsOrEmpty() {
        Register r = register();
        return r == null ? new RegisterStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : r.stats();
    }

    @ManagedAttribute(description = "Keys held now")
    public int getRegisterKeys() {
        return statsOrEmpty().keys();
    }

    @ManagedAttribute(description = "Samples offered to the register")
    public long getRegisterUpdates() {
        return statsOrEmpty().updates();
    }

    @ManagedAttribute(description = "Keys evicted because maxKeys was reached")
    public long getRegisterEvictions() {
        return statsOrEmpty().evictions();
    }

    @ManagedAttribute(description = "Keys evicted for being idle")
    public long getRegisterIdleEvictions() {
        return statsOrEmpty().idleEvictions();
    }

    @ManagedAttribute(description = "Events without the value")
    public long getRegisterMissingValues() {
        return statsOrEmpty().missingValues();
    }

    @ManagedAttribute(description = "Events whose value is not a finite number")
    public long getRegisterNonNumericValues() {
        return statsOrEmpty().nonNumericValues();
    }

    @ManagedAttribute(description = "Events without a usable key")
    public long getRegisterMissingKeys() {
        return statsOrEmpty().missingKeys();
    }

    @ManagedAttribute(description = "Samples older than their key's newest")
    public long getRegisterLateSamples() {
        return statsOrEmpty().lateSamples();
    }

    @ManagedAttribute(description = "Late samples older than the whole window (dropped)")
    public long getRegisterTooOldSamples() {
        return statsOrEmpty().tooOldSamples();
    }

    @ManagedAttribute(description = "Samples pushed out of a time window early by maxSamples")
    public long getRegisterOverflowSamples() {
        return statsOrEmpty().overflowSamples();
    }

    @ManagedAttribute(description = "Events with a missing or invalid time (timestamp=event)")
    public long getRegisterInvalidTimestamps() {
        return statsOrEmpty().invalidTimestamps();
    }

    @ManagedOperation(description = "Approximate heap bytes held by the register's keys (walks every key)")
    public long registerApproxBytes() {
        Register r = register();
        return r == null ? 0 : r.approxBytes();
    }

    @ManagedOperation(description = "Removes every key of the register (counters stay)")
    public void clearRegister() {
        Register r = register();
        if (r != null) {
            r.clear();
        }
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
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

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public String getValueLanguage() {
        return valueLanguage;
    }

    public void setValueLanguage(String valueLanguage) {
        this.valueLanguage = valueLanguage;
    }

    public String getOps() {
        return ops;
    }

    public void setOps(String ops) {
        this.ops = ops;
    }

    public long getWindow() {
        return window;
    }

    public void setWindow(long window) {
        this.window = window;
    }

    public int getSize() {
        return size;
    }

    public void setSize(int size) {
        this.size = size;
    }

    public int getMaxSamples() {
        return maxSamples;
    }

    public void setMaxSamples(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    public int getMaxKeys() {
        return maxKeys;
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public String getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(String timestamp) {
        this.timestamp = timestamp;
    }

    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    public Double getThreshold() {
        return threshold;
    }

    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public String getOnMissing() {
        return onMissing;
    }

    public void setOnMissing(String onMissing) {
        this.onMissing = onMissing;
    }

    public int getWarnEvery() {
        return warnEvery;
    }

    public void setWarnEvery(int warnEvery) {
        this.warnEvery = warnEvery;
    }

    public boolean isStatsHeader() {
        return statsHeader;
    }

    public void setStatsHeader(boolean statsHeader) {
        this.statsHeader = statsHeader;
    }

    public int getMaxKeyLength() {
        return maxKeyLength;
    }

    public void setMaxKeyLength(int maxKeyLength) {
        this.maxKeyLength = maxKeyLength;
    }
}
