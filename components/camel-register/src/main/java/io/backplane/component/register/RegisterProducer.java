package io.backplane.component.register;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.backplane.core.Event;
import io.backplane.core.Events;
import io.backplane.core.InvalidEventException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the key and value of the exchange's event, updates (or reads) the register and writes the results of the
 * endpoint's ops to headers. An event that cannot update the register (no key, no value, not a number, bad time, too
 * old) is counted, logged now and then, and by default ends the exchange there: a rule must not be evaluated on
 * results that do not include the event it fired for.
 */
public class RegisterProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterProducer.class);
    /** Plain decimal notation only: Java alone would also read "0x1p3", "1d", "NaN" or "Infinity". */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final RegisterEndpoint endpoint;
    private final int ops;
    private final double threshold;
    private final int maxKeyLength;
    private final AtomicBoolean warnedNoRegister = new AtomicBoolean();

    public RegisterProducer(RegisterEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.ops = endpoint.opsMask();
        this.threshold = endpoint.getThreshold() == null ? Double.NaN : endpoint.getThreshold();
        this.maxKeyLength = endpoint.getMaxKeyLength();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Map<String, ?> event = null;
        if (endpoint.keyFromEvent() || (!endpoint.readMode() && (endpoint.valueSource().needsEvent()
                                                                || endpoint.eventTime()))) {
            event = event(exchange);
        }
        Register register = endpoint.register();
        if (register == null) {
            // read mode before any update endpoint exists (a route not started yet, or a misspelt name)
            if (warnedNoRegister.compareAndSet(false, true)) {
                LOG.warn("register:{} (mode=read): no endpoint updates a register of that name (yet); results are "
                         + "those of an empty window", endpoint.getName());
            }
            double[] out = new double[RegisterOp.size()];
            java.util.Arrays.fill(out, Double.NaN);
            out[RegisterOp.COUNT.ordinal()] = 0;
            out[RegisterOp.SUM.ordinal()] = 0;
            message.setHeader(RegisterConstants.NAME, endpoint.getName());
            writeResults(message, out);
            return;
        }

        String key;
        try {
            key = endpoint.keyReader().read(exchange);
        } catch (RuntimeException e) {
            // a key expression that fails on this event (jsonpath without the path): the event has no key
            skip(exchange, register, "missingKey", register.countMissingKey(),
                 "has no key at " + endpoint.getKey() + " (" + e.getMessage() + ")");
            return;
        }
        if (key == null || key.length() > maxKeyLength) {
            String why = key == null ? "has no key at " + endpoint.getKey()
                    : "has a key longer than maxKeyLength=" + maxKeyLength + " at " + endpoint.getKey();
            skip(exchange, register, "missingKey", register.countMissingKey(), why);
            return;
        }

        double[] out = new double[RegisterOp.size()];
        message.setHeader(RegisterConstants.NAME, endpoint.getName());
        message.setHeader(RegisterConstants.KEY, key);
        if (endpoint.readMode()) {
            message.removeHeader(RegisterConstants.SKIPPED);
            register.read(key, threshold, ops, out);
            writeResults(message, out);
            return;
        }

        Object raw;
        try {
            raw = endpoint.valueSource().read(exchange, event);
        } catch (RuntimeException e) {
            // e.g. jsonpath's PathNotFoundException: the event lacks the value
            skip(exchange, register, "missing", register.countMissingValue(),
                 "has no value at " + endpoint.getValue() + " (" + e.getMessage() + ")");
            return;
        }
        if (raw == null) {
            skip(exchange, register, "missing", register.countMissingValue(), "has no value at " + endpoint.getValue());
            return;
        }
        double value = toDouble(raw);
        if (!Double.isFinite(value)) {
            skip(exchange, register, "nonNumeric", register.countNonNumericValue(),
                 "has a value that is not a finite number at " + endpoint.getValue() + ": " + abbreviate(raw));
            return;
        }
        boolean accepted;
        if (endpoint.eventTime()) {
            long time = eventTimeNanos(event);
            if (time == Long.MIN_VALUE) {
                skip(exchange, register, "invalidTimestamp", register.countInvalidTimestamp(),
                     "has no RFC 3339 time (timestamp=event): " + abbreviate(event.get(Event.TIME)));
                return;
            }
            accepted = register.updateAt(key, value, time, threshold, ops, out);
        } else {
            accepted = register.update(key, value, threshold, ops, out);
        }
        if (!accepted) {
            skip(exchange, register, "tooOld", register.stats().tooOldSamples(),
                 "is older than its key's window (newest sample minus window)");
            return;
        }
        message.removeHeader(RegisterConstants.SKIPPED);
        message.setHeader(RegisterConstants.VALUE, value);
        writeResults(message, out);
        if (endpoint.isStatsHeader()) {
            message.setHeader(RegisterConstants.STATS, register.stats().toMap());
        }
    }

    private void writeResults(Message message, double[] out) {
        for (RegisterOp op : RegisterOp.values()) {
            if (!op.in(ops)) {
                continue;
            }
            double v = out[op.ordinal()];
            if (Double.isNaN(v)) {
                message.removeHeader(op.header());
            } else if (op == RegisterOp.COUNT) {
                message.setHeader(op.header(), (int) v);
            } else {
                message.setHeader(op.header(), v);
            }
        }
    }

    private Map<String, ?> event(Exchange exchange) {
        return Events.bodyEvent(exchange, "register:" + endpoint.getName());
    }

    private void skip(Exchange exchange, Register register, String reason, long countSoFar, String what) {
        int every = endpoint.getWarnEvery();
        if (countSoFar == 1 || countSoFar % every == 0) {
            Object id = exchange.getMessage().getBody() instanceof Map<?, ?> m ? m.get(Event.ID) : null;
            LOG.warn("register:{}: event {} {}; {} ({} such events so far, logged once every {})",
                     endpoint.getName(), id == null ? exchange.getExchangeId() : id, what,
                     endpoint.continueOnMissing() ? "continuing without results" : "the rule is not evaluated",
                     countSoFar, every);
        }
        Message message = exchange.getMessage();
        for (RegisterOp op : RegisterOp.values()) {
            message.removeHeader(op.header());
        }
        message.removeHeader(RegisterConstants.VALUE);
        message.setHeader(RegisterConstants.NAME, endpoint.getName());
        message.setHeader(RegisterConstants.SKIPPED, reason);
        if (endpoint.isStatsHeader()) {
            message.setHeader(RegisterConstants.STATS, register.stats().toMap());
        }
        if (!endpoint.continueOnMissing()) {
            exchange.setRouteStop(true);
        }
    }

    /** Numbers and numeric strings; NaN for anything else (booleans, maps, lists, text). */
    static double toDouble(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof CharSequence s) {
            String text = s.toString().trim();
            if (!DECIMAL.matcher(text).matches()) {
                return Double.NaN;
            }
            return Double.parseDouble(text);
        }
        return Double.NaN;
    }

    /** The event's time in epoch nanoseconds, or Long.MIN_VALUE when missing or not RFC 3339. */
    static long eventTimeNanos(Map<String, ?> event) {
        Object time = event.get(Event.TIME);
        if (!(time instanceof String s)) {
            return Long.MIN_VALUE;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(s);
            return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String abbreviate(Object raw) {
        String s = String.valueOf(raw);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
