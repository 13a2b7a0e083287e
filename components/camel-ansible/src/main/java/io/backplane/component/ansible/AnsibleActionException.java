package io.backplane.component.ansible;

import io.backplane.core.Event;

/**
 * Set on the exchange when {@code throwOnFailure=true} and an action did not end ok, so a route can use Camel's error
 * handling; the body is the result event all the same.
 */
public class AnsibleActionException extends Exception {

    private final transient Event result;

    public AnsibleActionException(Event result) {
        super(result.type() + ": " + result.data().getOrDefault("error", "(no error message)"));
        this.result = result;
    }

    /** The result event ({@code action/ansible/<name>/failed|timeout|refused}). */
    public Event getResult() {
        return result;
    }
}
