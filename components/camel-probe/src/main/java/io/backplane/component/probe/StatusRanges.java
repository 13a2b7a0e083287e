package io.backplane.component.probe;

import java.util.ArrayList;
import java.util.List;

/** The expected HTTP status codes: a comma-separated list of codes and ranges, e.g. {@code 200-299,301,302}. */
final class StatusRanges {

    static final String DEFAULT = "200-399";

    private final String text;
    private final int[] from;
    private final int[] to;

    private StatusRanges(String text, int[] from, int[] to) {
        this.text = text;
        this.from = from;
        this.to = to;
    }

    static StatusRanges parse(String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String item : text.split(",")) {
            String s = item.trim();
            int dash = s.indexOf('-', 1);
            try {
                int a = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).trim());
                int b = dash < 0 ? a : Integer.parseInt(s.substring(dash + 1).trim());
                if (a < 100 || b > 599 || a > b) {
                    throw new NumberFormatException();
                }
                ranges.add(new int[] { a, b });
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expectedStatus must be HTTP status codes (100-599) or ranges, "
                                                   + "comma-separated, e.g. 200-299,301; got '" + text + "'");
            }
        }
        int[] from = new int[ranges.size()];
        int[] to = new int[ranges.size()];
        for (int i = 0; i < from.length; i++) {
            from[i] = ranges.get(i)[0];
            to[i] = ranges.get(i)[1];
        }
        return new StatusRanges(text.replace(" ", ""), from, to);
    }

    boolean matches(int status) {
        for (int i = 0; i < from.length; i++) {
            if (status >= from[i] && status <= to[i]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
