package io.backplane.component.state;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.backplane.core.Event;
import io.backplane.core.EventHeaders;
import io.backplane.core.EventPath;
import io.backplane.core.template.Template;
import io.backplane.gate.GateService;
import io.backplane.gate.GateStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/** set, get, delete, list and gates on the component's {@link FactStore}. */
public class StateProducer extends DefaultProducer {

    private final StateEndpoint endpoint;
    private final EventPath rawValuePath;
    private final Template valueTemplate;
    private FactStore store;
    private GateService gates;

    public StateProducer(StateEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        String v = endpoint.getValue();
        if (v != null && v.matches("\\$\\{[A-Za-z0-9_.\\-]+}")) {
            // exactly one placeholder: store the field itself, typed (a map stays a map, 3 stays a number)
            rawValuePath = EventPath.compile(v.substring(2, v.length() - 1));
            valueTemplate = null;
        } else {
            rawValuePath = null;
            valueTemplate = v == null ? null : Template.compile(v, Template.Escaping.TEXT);
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        store = endpoint.getComponent().store();
        gates = endpoint.getComponent().gateService();
        if (endpoint.getOperation() == StateOperation.gates && gates.gates().get(endpoint.getGate()) == null) {
            throw new IllegalArgumentException("state:gates: no gate named '" + endpoint.getGate() + "' in "
                                               + gates.gates().source() + " (gates: " + gates.gates().names() + ")");
        }
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, ?> event = eventOf(in);
        switch (endpoint.getOperation()) {
            case set -> {
                String key = endpoint.keyTemplate().render(event);
                Object value = valueOf(exchange, event, key);
                Fact previous = store.set(key, value, endpoint.ttlMillis(event));
                in.setHeader(StateConstants.KEY, key);
                in.setHeader(StateConstants.FOUND, previous != null);
            }
            case get -> {
                String key = endpoint.keyTemplate().render(event);
                Fact fact = store.get(key);
                in.setHeader(StateConstants.KEY, key);
                in.setHeader(StateConstants.FOUND, fact != null);
                in.setHeader(StateConstants.VALUE, fact == null ? null : fact.value());
                in.setHeader(StateConstants.EXPIRES, fact == null ? null : fact.expiresText());
                if (endpoint.isReplaceBody()) {
                    in.setBody(fact == null ? null : fact.value());
                }
            }
            case delete -> {
                int count;
                if (endpoint.keyTemplate() != null) {
                    String key = endpoint.keyTemplate().render(event);
                    in.setHeader(StateConstants.KEY, key);
                    count = store.delete(key) == null ? 0 : 1;
                } else {
                    String prefix = endpoint.prefixTemplate().render(event);
                    in.setHeader(StateConstants.KEY, prefix);
                    count = store.deletePrefix(prefix).size();
                }
                in.setHeader(StateConstants.FOUND, count > 0);
                in.setHeader(StateConstants.COUNT, count);
            }
            case list -> {
                String prefix = endpoint.prefixTemplate() == null ? "" : endpoint.prefixTemplate().render(event);
                Map<String, Object> facts = new LinkedHashMap<>();
                for (Fact f : store.list(prefix)) {
                    facts.put(f.key(), f.value());
                }
                in.setHeader(StateConstants.KEY, prefix);
                in.setHeader(StateConstants.FACTS, facts);
                in.setHeader(StateConstants.COUNT, facts.size());
                if (endpoint.isReplaceBody()) {
                    in.setBody(facts);
                }
            }
            case gates -> {
                GateStatus status = gates.status(endpoint.getGate());
                in.setHeader(StateConstants.GATE_OPEN, status.open());
                in.setHeader(StateConstants.GATE_REASONS, status.reasons());
                if (endpoint.isReplaceBody()) {
                    in.setBody(status.toMap());
                }
            }
            default -> throw new IllegalStateException("state:" + endpoint.getOperation() + " is not a producer");
        }
    }

    /**
     * The event that templates read: the body when it is one (or any map); otherwise the CloudEvents headers, so
     * that {@code ${subject}} still works after a step replaced the body with the value to store.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, ?> eventOf(Message in) {
        Object body = in.getBody();
        if (body instanceof Map<?, ?> map) {
            return (Map<String, ?>) map;
        }
        Map<String, Object> attrs = new HashMap<>();
        putIf(attrs, Event.ID, in.getHeader(EventHeaders.ID));
        putIf(attrs, Event.TYPE, in.getHeader(EventHeaders.TYPE));
        putIf(attrs, Event.SOURCE, in.getHeader(EventHeaders.SOURCE));
        putIf(attrs, Event.SUBJECT, in.getHeader(EventHeaders.SUBJECT));
        putIf(attrs, Event.TIME, in.getHeader(EventHeaders.TIME));
        putIf(attrs, Event.CAUSATIONID, in.getHeader(EventHeaders.CAUSATION_ID));
        return attrs;
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private Object valueOf(Exchange exchange, Map<String, ?> event, String key) {
        Message in = exchange.getMessage();
        if (endpoint.getValueHeader() != null) {
            Object v = in.getHeader(endpoint.getValueHeader());
            if (v == null) {
                throw new StateException("state:set " + key + ": the header " + endpoint.getValueHeader()
                                         + " (valueHeader) is not set");
            }
            return v;
        }
        if (rawValuePath != null) {
            Object v = rawValuePath.read(event);
            if (v == null) {
                throw new StateException("state:set " + key + ": the event has no value for ${" + rawValuePath + "}");
            }
            return v;
        }
        if (valueTemplate != null) {
            return literal(valueTemplate.render(event));
        }
        Object body = in.getBody();
        if (body == null) {
            throw new StateException("state:set " + key + ": the body is empty (set value= or valueHeader=, or put "
                                     + "the value in the body)");
        }
        if (body instanceof Map || body instanceof Collection || body instanceof String || body instanceof Number
            || body instanceof Boolean) {
            return body;
        }
        throw new StateException("state:set " + key + ": a body of type " + body.getClass().getName() + " is not a "
                                 + "JSON value (string, number, boolean, map, list); convert it first or use value=");
    }

    /** A JSON value when the text is one (true, 0.5, [1], {"a":1}, "quoted"), else the text as a string. */
    static Object literal(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return text;
        }
        char c = t.charAt(0);
        if (c == '{' || c == '[' || c == '"' || c == '-' || Character.isDigit(c) || t.equals("true")
            || t.equals("false")) {
            try {
                JsonNode node = FactStore.JSON.readTree(t);
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    return FactStore.fromJson(node);
                }
            } catch (Exception notJson) {
                // plain text
            }
        }
        return text;
    }
}
