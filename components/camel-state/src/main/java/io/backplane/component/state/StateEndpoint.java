package io.backplane.component.state;

import io.backplane.core.Durations;
import io.backplane.core.template.Template;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Facts that rules read and write (set, get, delete, list by prefix, with TTL, surviving restarts), deploy gates
 * over them, and events when facts or gates change.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "state", title = "Backplane State", syntax = "state:operation",
             category = { Category.CACHE }, headersClass = StateConstants.class)
public class StateEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    @UriPath(enums = "set,get,delete,list,gates,changes",
             description = "Producers: set, get, delete, list, gates (evaluate one gate). Consumers: gates (events "
                           + "gate/NAME/open|closed), changes (events state/KEY/set|deleted|expired).")
    @Metadata(required = true)
    private StateOperation operation;

    @UriParam(label = "producer",
              description = "The fact's key (set, get, delete): a template filled from the event, e.g. "
                            + "maintenance/${subject} or alerts/firing/${data.labels.service}/${data.alert.name}. A "
                            + "missing value is an error, not an empty string.")
    private String key;

    @UriParam(description = "A key prefix (list, delete, and the changes consumer), e.g. alerts/firing/ or "
                            + "alerts/firing/${data.labels.service}/ (producers fill it from the event). list without "
                            + "a prefix lists every fact.")
    private String prefix;

    @UriParam(label = "producer",
              description = "set: the value, instead of the body. Exactly one placeholder (${data.alert}) stores that "
                            + "field as it is (a map stays a map); other text is filled in and then read as JSON if it "
                            + "is a JSON value (true, 0.5, {\"a\":1}), else kept as a string.")
    private String value;

    @UriParam(label = "producer",
              description = "set: take the value from this header instead of the body (e.g. a header a register: "
                            + "step set).")
    private String valueHeader;

    @UriParam(label = "producer",
              description = "set: time to live, e.g. 30s, 15m, 2h, 1d, 1h30m (or milliseconds), or a template filled "
                            + "from the event (${data.duration}). The fact vanishes then, also across restarts. "
                            + "Without it the fact stays until deleted.")
    private String ttl;

    @UriParam(label = "producer", defaultValue = "false",
              description = "get, list and gates: put the result (the value, the map of facts, the gate's status) in "
                            + "the body instead of only in headers.")
    private boolean replaceBody;

    @UriParam(description = "gates: the gate's name (required for the producer; the consumer emits events of this "
                            + "gate only, or of every gate without it).")
    private String gate;

    private Template keyTemplate;
    private Template prefixTemplate;
    private Template ttlTemplate;
    private long ttlMillis;

    public StateEndpoint(String uri, StateComponent component, String operation) {
        super(uri, component);
        if (operation == null || operation.isBlank()) {
            throw new IllegalArgumentException("state: needs an operation: state:set, state:get, state:delete, "
                                               + "state:list, state:gates or state:changes");
        }
        try {
            this.operation = StateOperation.valueOf(operation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state:" + operation + " is not an operation: use set, get, delete, "
                                               + "list, gates or changes");
        }
    }

    @Override
    public StateComponent getComponent() {
        return (StateComponent) super.getComponent();
    }

    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    /** Checks option combinations when the endpoint is created. */
    void validate() {
        String op = "state:" + operation;
        switch (operation) {
            case set -> {
                requireKey(op);
                if (value != null && valueHeader != null) {
                    throw new IllegalArgumentException(op + ": value and valueHeader cannot both be set");
                }
                notWith(op, "prefix", prefix);
                notWith(op, "gate", gate);
            }
            case get -> {
                requireKey(op);
                notWith(op, "prefix", prefix);
            }
            case delete -> {
                if ((key == null) == (prefix == null)) {
                    throw new IllegalArgumentException(op + " needs either key (one fact) or prefix (all facts under "
                                                       + "it)");
                }
            }
            case list -> notWith(op, "key", key);
            case gates, changes -> notWith(op, "key", key);
            default -> throw new IllegalStateException();
        }
        if (operation != StateOperation.set) {
            notWith(op, "value", value);
            notWith(op, "valueHeader", valueHeader);
            notWith(op, "ttl", ttl);
        }
        if (operation != StateOperation.gates) {
            notWith(op, "gate", gate);
        }
        if (operation == StateOperation.gates) {
            notWith(op, "prefix", prefix);
        }
        if (key != null) {
            keyTemplate = Template.compile(key, Template.Escaping.TEXT);
        }
        if (prefix != null) {
            if (operation == StateOperation.changes && prefix.contains("${")) {
                throw new IllegalArgumentException(op + ": prefix cannot hold placeholders (there is no event to "
                                                   + "fill them from)");
            }
            prefixTemplate = Template.compile(prefix, Template.Escaping.TEXT);
        }
        if (ttl != null && ttl.contains("${")) {
            ttlTemplate = Template.compile(ttl.trim(), Template.Escaping.TEXT);
        } else if (ttl != null) {
            ttlMillis = parseTtl(ttl, op);
        }
    }

    static long parseTtl(String ttl, String op) {
        long millis;
        try {
            millis = Durations.parse(ttl, op + ": ttl");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(op + ": ttl '" + ttl + "' is not a duration like 30s, 15m, 2h, 1d");
        }
        if (millis <= 0) {
            throw new IllegalArgumentException(op + ": ttl must be positive, got '" + ttl + "'");
        }
        return millis;
    }

    private void requireKey(String op) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(op + " needs a key, e.g. " + op + "?key=maintenance/${subject}");
        }
    }

    private static void notWith(String op, String option, Object v) {
        if (v != null) {
            throw new IllegalArgumentException(op + " does not take the option " + option);
        }
    }

    @Override
    public Producer createProducer() {
        if (!operation.canProduce()) {
            throw new IllegalArgumentException("state:" + operation + " can only be used in from: (it emits events)");
        }
        if (operation == StateOperation.gates && (gate == null || gate.isBlank())) {
            throw new IllegalArgumentException("state:gates as a producer needs gate=NAME");
        }
        return new StateProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!operation.canConsume()) {
            throw new IllegalArgumentException("state:" + operation + " cannot be used in from:; consumers are "
                                               + "state:gates and state:changes");
        }
        Consumer consumer = operation == StateOperation.gates
                ? new GateEventsConsumer(this, processor) : new StateChangesConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    Template keyTemplate() {
        return keyTemplate;
    }

    Template prefixTemplate() {
        return prefixTemplate;
    }

    /** The TTL in milliseconds (0 = none), filled from the event when it is a template like ${data.duration}. */
    long ttlMillis(java.util.Map<String, ?> event) {
        if (ttlTemplate == null) {
            return ttlMillis;
        }
        try {
            return parseTtl(ttlTemplate.render(event), "state:set");
        } catch (IllegalArgumentException e) {
            throw new StateException(e.getMessage() + " (from ttl=" + ttl + ")");
        }
    }

    public StateOperation getOperation() {
        return operation;
    }

    public void setOperation(StateOperation operation) {
        this.operation = operation;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public String getValueHeader() {
        return valueHeader;
    }

    public void setValueHeader(String valueHeader) {
        this.valueHeader = valueHeader;
    }

    public String getTtl() {
        return ttl;
    }

    public void setTtl(String ttl) {
        this.ttl = ttl;
    }

    public boolean isReplaceBody() {
        return replaceBody;
    }

    public void setReplaceBody(boolean replaceBody) {
        this.replaceBody = replaceBody;
    }

    public String getGate() {
        return gate;
    }

    public void setGate(String gate) {
        this.gate = gate;
    }
}
