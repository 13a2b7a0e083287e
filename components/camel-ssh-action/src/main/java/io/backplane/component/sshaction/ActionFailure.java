package io.backplane.component.sshaction;

import io.backplane.core.action.ActionResult.Outcome;

/** Why an action ended before or instead of running its command; becomes the result event's outcome and error. */
final class ActionFailure extends Exception {

    private final Outcome outcome;

    ActionFailure(Outcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    ActionFailure(Outcome outcome, String message, Throwable cause) {
        super(message, cause, false, false);
        this.outcome = outcome;
    }

    Outcome outcome() {
        return outcome;
    }
}
