package io.backplane.component.httpaction;

import java.time.Clock;
import java.time.Instant;

/**
 * The circuit of one target ({@code scheme://host:port}), shared by every {@code http-action} endpoint of a
 * component that sends there. Closed: requests go. After {@code failures} consecutive actions that finally failed
 * because of the target (5xx, connection error, timeout), it opens for {@code openFor}: actions are refused at once
 * and nothing is sent, so a dead service is not hammered and rules are not held up by retries. Then it is half-open:
 * the next action is the one trial (a single attempt); its success closes the circuit, its failure opens it again.
 * Other actions are refused while the trial runs.
 */
final class CircuitBreaker {

    /** What an action may do. */
    enum Permit {
        /** Closed: send, with retries. */
        SEND,
        /** Half-open: this action is the trial, one attempt. */
        TRIAL,
        /** Open, or half-open with a trial under way: nothing is sent. */
        REFUSED
    }

    private final String target;
    private final Clock clock;
    private int consecutiveFailures;
    private Instant openUntil; // null = closed
    private boolean trialInFlight;

    CircuitBreaker(String target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    synchronized Permit acquire() {
        if (openUntil == null) {
            return Permit.SEND;
        }
        if (trialInFlight || clock.instant().isBefore(openUntil)) {
            return Permit.REFUSED;
        }
        trialInFlight = true;
        return Permit.TRIAL;
    }

    /** Why an action was refused, for the result event. */
    synchronized String refusal() {
        if (openUntil == null) {
            return "circuit closed for " + target; // closed again since acquire(): a rare race, still a refusal
        }
        if (trialInFlight && !clock.instant().isBefore(openUntil)) {
            return "circuit half-open for " + target + ": a trial request is deciding whether to close it";
        }
        return "circuit open for " + target + " until " + openUntil + " after " + consecutiveFailures
               + " consecutive failed actions";
    }

    /** The target answered (any status below 500): it is up, the circuit closes. True if it was open. */
    synchronized boolean success() {
        boolean wasOpen = openUntil != null;
        consecutiveFailures = 0;
        openUntil = null;
        trialInFlight = false;
        return wasOpen;
    }

    /** The action finally failed because of the target. True if this opened the circuit (from closed). */
    synchronized boolean failure(Permit permit, int threshold, long openForMillis) {
        consecutiveFailures++;
        if (permit == Permit.TRIAL) {
            trialInFlight = false;
            openUntil = clock.instant().plusMillis(openForMillis);
        } else if (threshold > 0 && consecutiveFailures >= threshold && openUntil == null) {
            openUntil = clock.instant().plusMillis(openForMillis);
            return true;
        }
        return false;
    }

    /** The action ended without a verdict on the target (stopped during a backoff): a trial slot is given back. */
    synchronized void release(Permit permit) {
        if (permit == Permit.TRIAL) {
            trialInFlight = false;
        }
    }

    /** Until when the circuit refuses actions; null when closed. */
    synchronized Instant openUntil() {
        return openUntil;
    }

    String target() {
        return target;
    }
}
