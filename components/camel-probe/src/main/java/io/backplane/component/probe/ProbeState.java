package io.backplane.component.probe;

import java.time.Instant;

/**
 * The flap-damped state of one probe. It starts {@code unknown}; {@code failures} consecutive failed checks confirm
 * {@code down} and {@code successes} consecutive good checks confirm {@code up}, from unknown as from the other state.
 * A result that agrees with the confirmed state changes nothing, so a state is reported once per change. Not
 * thread-safe: the consumer records one result at a time.
 */
final class ProbeState {

    enum State {
        UNKNOWN,
        UP,
        DOWN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A confirmed change: from, to, the streak that confirmed it, when it happened and when the previous began. */
    record Transition(State from, State to, int consecutive, Instant since, Instant previousSince) {
    }

    private final int failures;
    private final int successes;
    private volatile State state = State.UNKNOWN; // read by other threads for monitoring
    private volatile Instant since;
    private int okStreak;
    private int failStreak;

    ProbeState(int failures, int successes, Instant started) {
        this.failures = failures;
        this.successes = successes;
        this.since = started;
    }

    /** Records one check; returns the change it confirms, or null. */
    Transition record(boolean ok, Instant now) {
        if (ok) {
            okStreak++;
            failStreak = 0;
            if (state != State.UP && okStreak >= successes) {
                return change(State.UP, okStreak, now);
            }
        } else {
            failStreak++;
            okStreak = 0;
            if (state != State.DOWN && failStreak >= failures) {
                return change(State.DOWN, failStreak, now);
            }
        }
        return null;
    }

    private Transition change(State to, int consecutive, Instant now) {
        Transition t = new Transition(state, to, consecutive, now, since);
        state = to;
        since = now;
        return t;
    }

    State state() {
        return state;
    }

    /** When the current state began (for unknown: when the probe started). */
    Instant since() {
        return since;
    }

    /** Length of the current run of equal results. */
    int consecutive() {
        return Math.max(okStreak, failStreak);
    }
}
