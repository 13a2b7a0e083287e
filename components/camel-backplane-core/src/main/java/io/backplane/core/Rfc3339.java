package io.backplane.core;

/** A cheap shape check of RFC 3339 timestamps (parsing them fully on every event would cost more than the rest). */
final class Rfc3339 {

    private Rfc3339() {
    }

    static boolean looksValid(String s) {
        // 2026-11-24T17:10:48Z, 2026-11-24T17:10:48.123456+02:00
        int n = s.length();
        if (n < 20 || !digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 7) || s.charAt(7) != '-'
                || !digits(s, 8, 10) || (s.charAt(10) != 'T' && s.charAt(10) != 't') || !digits(s, 11, 13)
                || s.charAt(13) != ':' || !digits(s, 14, 16) || s.charAt(16) != ':' || !digits(s, 17, 19)) {
            return false;
        }
        int i = 19;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            return true;
        }
        return i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && digits(s, i + 1, i + 3)
                && s.charAt(i + 3) == ':' && digits(s, i + 4, i + 6);
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
