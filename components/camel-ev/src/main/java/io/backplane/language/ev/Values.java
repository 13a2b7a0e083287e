package io.backplane.language.ev;

import java.util.Collection;
import java.util.Map;

/**
 * The value rules of {@code ev}, in one place so that the evaluator and the indexed choice can never disagree:
 * <ul>
 * <li>equality compares {@link #canon canonical keys}: numbers (and numeric strings) as doubles, other scalars as
 * text, maps and lists as themselves; so {@code 2 == '2.0'}, {@code true == 'true'}, and an index keyed by
 * {@code canon(literal)} finds exactly the values equal to the literal;</li>
 * <li>ordering is numeric when both sides are numeric, lexicographic when both are non-numeric strings, and false
 * otherwise (a missing field is never greater or smaller than anything).</li>
 * </ul>
 */
final class Values {

    /** The canonical key of null (a missing field or a JSON null). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** compare() result when the two values have no order. */
    static final int INCOMPARABLE = Integer.MIN_VALUE;

    private Values() {
    }

    /**
     * The value of a strict JSON number ({@code -12}, {@code 0.5}, {@code 1e3}; no spaces, no {@code +}, no hex, no
     * NaN/Infinity), or NaN when {@code s} is not one. Hand-written because this runs per event.
     */
    static double numeric(String s) {
        int n = s.length();
        if (n == 0 || n > 64) {
            return Double.NaN;
        }
        int i = 0;
        if (s.charAt(0) == '-') {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            int fraction = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                fraction++;
            }
            if (fraction == 0) {
                return Double.NaN;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return Double.NaN;
            }
        }
        if (i != n) {
            return Double.NaN;
        }
        double d = Double.parseDouble(s);
        return Double.isInfinite(d) ? Double.NaN : d;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A finite number, or a numeric string, as a double; NaN for everything else. */
    static double numeric(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : Double.NaN;
        }
        if (v instanceof String s) {
            return numeric(s);
        }
        return Double.NaN;
    }

    /** -0.0 and 0.0 are equal numbers, so they must be one key. */
    static Double key(double d) {
        return d == 0.0 ? 0.0 : d;
    }

    /** The key under which equality compares {@code v}; see the class comment. */
    static Object canon(Object v) {
        if (v == null) {
            return NULL;
        }
        if (v instanceof String s) {
            double d = numeric(s);
            return Double.isNaN(d) ? s : key(d);
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? key(d) : n.toString();
        }
        if (v instanceof Map || v instanceof Collection || v.getClass().isArray()) {
            return v;
        }
        return v.toString(); // Boolean, Character, enums and other scalars (headers can hold anything)
    }

    static boolean equal(Object a, Object b) {
        return canon(a).equals(canon(b));
    }

    /** -1, 0 or 1, or {@link #INCOMPARABLE}. */
    static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return INCOMPARABLE;
        }
        double da = numeric(a);
        double db = numeric(b);
        if (!Double.isNaN(da) && !Double.isNaN(db)) {
            return da < db ? -1 : da > db ? 1 : 0;
        }
        if (a instanceof String sa && b instanceof String sb) {
            return Integer.signum(sa.compareTo(sb));
        }
        return INCOMPARABLE;
    }

    /**
     * Truth of a value used as a condition: null, false, 0, "" , "false" (any case), an empty list or map are false;
     * everything else is true.
     */
    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return !s.isEmpty() && !s.equalsIgnoreCase("false");
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d != 0.0 && !Double.isNaN(d);
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** A scalar as text (for contains and =~), or null for null, maps and lists. */
    static String text(Object v) {
        if (v == null || v instanceof Map || v instanceof Collection || v.getClass().isArray()) {
            return null;
        }
        return v.toString();
    }
}
