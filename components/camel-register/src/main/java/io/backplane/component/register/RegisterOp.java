package io.backplane.component.register;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations a register computes over a key's window. An endpoint's {@code ops} option is parsed once into a bit
 * mask ({@link #parse}); only the operations in it are computed and written to headers.
 */
public enum RegisterOp {

    COUNT("count", RegisterConstants.COUNT),
    SUM("sum", RegisterConstants.SUM),
    MEAN("mean", RegisterConstants.MEAN),
    MIN("min", RegisterConstants.MIN),
    MAX("max", RegisterConstants.MAX),
    P50("p50", RegisterConstants.P50),
    P95("p95", RegisterConstants.P95),
    P99("p99", RegisterConstants.P99),
    RATE("rate", RegisterConstants.RATE),
    EVENT_RATE("eventRate", RegisterConstants.EVENT_RATE),
    EWMA("ewma", RegisterConstants.EWMA),
    SLOPE("slope", RegisterConstants.SLOPE),
    PREDICT("predict", RegisterConstants.SECONDS_TO_THRESHOLD);

    private static final RegisterOp[] ALL = values();

    /** Operations that read the window's values in order (kept sorted per key once one of them is asked for). */
    static final int ORDER_MASK = MIN.bit() | MAX.bit() | P50.bit() | P95.bit() | P99.bit();

    private final String text;
    private final String header;

    RegisterOp(String text, String header) {
        this.text = text;
        this.header = header;
    }

    /** The name used in the {@code ops} option. */
    public String text() {
        return text;
    }

    /** The header the result goes to. */
    public String header() {
        return header;
    }

    public int bit() {
        return 1 << ordinal();
    }

    public boolean in(int mask) {
        return (mask & bit()) != 0;
    }

    /** The number of operations: the length of a results array. */
    public static int size() {
        return ALL.length;
    }

    /** The operations of a mask, in declaration order. */
    public static List<RegisterOp> of(int mask) {
        List<RegisterOp> out = new ArrayList<>();
        for (RegisterOp op : ALL) {
            if (op.in(mask)) {
                out.add(op);
            }
        }
        return out;
    }

    /** Parses {@code mean,p95,slope} (case-insensitive, blanks ignored) into a mask; unknown names are refused. */
    public static int parse(String ops) {
        if (ops == null || ops.isBlank()) {
            throw new IllegalArgumentException("ops is empty; name at least one of " + names());
        }
        int mask = 0;
        for (String part : ops.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            RegisterOp found = null;
            for (RegisterOp op : ALL) {
                if (op.text.equalsIgnoreCase(name)) {
                    found = op;
                    break;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown register op '" + name + "' in ops=" + ops + "; known: "
                                                   + names());
            }
            mask |= found.bit();
        }
        if (mask == 0) {
            throw new IllegalArgumentException("ops is empty; name at least one of " + names());
        }
        return mask;
    }

    static String names() {
        List<String> names = new ArrayList<>();
        for (RegisterOp op : ALL) {
            names.add(op.text);
        }
        return String.join(", ", names);
    }

    @Override
    public String toString() {
        return text;
    }
}
