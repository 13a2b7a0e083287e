package io.backplane.component.probe;

/**
 * What one check found, before the consumer adds the latency: ok or not, the error text when not, and what the check
 * could read (HTTP status code, days left on the leaf certificate), each null when not known.
 */
record Outcome(boolean ok, String error, Integer statusCode, Long daysLeft) {

    static Outcome ok(Integer statusCode, Long daysLeft) {
        return new Outcome(true, null, statusCode, daysLeft);
    }

    static Outcome fail(String error) {
        return new Outcome(false, error, null, null);
    }

    static Outcome fail(String error, Integer statusCode, Long daysLeft) {
        return new Outcome(false, error, statusCode, daysLeft);
    }
}
