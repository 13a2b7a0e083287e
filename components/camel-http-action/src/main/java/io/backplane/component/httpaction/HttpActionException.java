package io.backplane.component.httpaction;

import io.backplane.core.Event;

/** Thrown (with {@code throwOnFailure=true}) when an action's outcome is not ok; carries the result event. */
public class HttpActionException extends Exception {

    private final transient Event result;

    public HttpActionException(Event result) {
        super(result.type() + ": " + result.data().get("error"));
        this.result = result;
    }

    /** The result event, also the exchange body. */
    public Event getResult() {
        return result;
    }
}
