package io.backplane.core;

/**
 * The one exception for input that is not a valid Backplane event: malformed JSON, a missing or wrong CloudEvents
 * attribute, a bad tag or glob, or an event over the size limit. The message names the problem so that it can be
 * returned to the emitter as it is.
 */
public class InvalidEventException extends IllegalArgumentException {

    private final boolean tooLarge;

    public InvalidEventException(String message) {
        this(message, false, null);
    }

    public InvalidEventException(String message, Throwable cause) {
        this(message, false, cause);
    }

    private InvalidEventException(String message, boolean tooLarge, Throwable cause) {
        super(message, cause);
        this.tooLarge = tooLarge;
    }

    /** Refuses something for its size: {@code what} is e.g. "event" or "request body". */
    public static InvalidEventException tooLarge(String what, long size, long limit) {
        return new InvalidEventException(what + " is " + size + " bytes, over the limit of " + limit + " bytes", true,
                null);
    }

    /** True when the input was refused for its size alone (HTTP 413 rather than 400). */
    public boolean isTooLarge() {
        return tooLarge;
    }
}
