package io.backplane.component.beacon;

/**
 * Decides, reading by reading, whether a beacon emits: threshold with hysteresis, deadband (as Node-RED's
 * filter/deadband node) or always. It knows nothing about where the values come from, so the rules are tested by
 * feeding it numbers. One instance follows one series (one mount, one process name); not thread-safe (a consumer
 * polls from one thread at a time).
 */
public final class BeaconFilter {

    /** Why an event is emitted. */
    public static final String INITIAL = "initial";
    public static final String THRESHOLD = "threshold";
    public static final String CHANGE = "change";
    public static final String ALWAYS = "always";

    /**
     * One emitted reading.
     *
     * @param value         the reading
     * @param reason        {@link #INITIAL}, {@link #THRESHOLD}, {@link #CHANGE} or {@link #ALWAYS}
     * @param state         the state after this reading; null without thresholds
     * @param previousState the state before this reading; null on the first reading or without thresholds
     * @param previousValue the value last emitted (or, with emitOnStart=false, the first reading); null on the first
     */
    public record Decision(double value, String reason, String state, String previousState, Double previousValue) {
    }

    private final EmitMode mode;
    private final Double above;
    private final Double below;
    private final double deadband;
    private final DeadbandMode deadbandMode;
    private final boolean emitOnStart;
    private final String highState;
    private final String normalState;

    private boolean started;
    private String state;
    private Double lastEmitted;

    /**
     * @param above       the value at or over which the state becomes high; null for no thresholds
     * @param below       the value at or under which a high state becomes normal again; null = above
     * @param highState   the name of the high state ("high", or "running" for processes)
     * @param normalState the name of the normal state ("normal", or "stopped")
     */
    public BeaconFilter(EmitMode mode, Double above, Double below, double deadband, DeadbandMode deadbandMode,
                        boolean emitOnStart, String highState, String normalState) {
        if (mode == null) {
            throw new IllegalArgumentException("emit mode is required");
        }
        if (below != null && above == null) {
            throw new IllegalArgumentException("below needs above (the value at which the state becomes "
                                               + highState + ")");
        }
        if (above != null && (above.isNaN() || above.isInfinite())) {
            throw new IllegalArgumentException("above must be a finite number, was " + above);
        }
        if (below != null && (below.isNaN() || below.isInfinite())) {
            throw new IllegalArgumentException("below must be a finite number, was " + below);
        }
        if (below != null && below > above) {
            throw new IllegalArgumentException("below (" + below + ") must not be greater than above (" + above
                                               + "): the state goes " + highState + " at above and back to "
                                               + normalState + " at below");
        }
        if (mode == EmitMode.threshold && above == null) {
            throw new IllegalArgumentException("emit=threshold needs above (and optionally below)");
        }
        if (Double.isNaN(deadband) || deadband < 0 || Double.isInfinite(deadband)) {
            throw new IllegalArgumentException("deadband must be a number >= 0, was " + deadband);
        }
        this.mode = mode;
        this.above = above;
        this.below = below == null ? above : below;
        this.deadband = deadband;
        this.deadbandMode = deadbandMode == null ? DeadbandMode.absolute : deadbandMode;
        this.emitOnStart = emitOnStart;
        this.highState = highState;
        this.normalState = normalState;
    }

    /** Takes one reading; returns what to emit, or null to stay silent. */
    public Decision offer(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("reading is not a number");
        }
        String previousState = state;
        Double reference = lastEmitted;
        state = stateAfter(value, previousState);
        if (!started) {
            started = true;
            lastEmitted = value;
            // the first reading tells the rules where things stand (their state may predate a restart)
            return emitOnStart ? new Decision(value, INITIAL, state, null, null) : null;
        }
        String reason = null;
        if (state != null && !state.equals(previousState)) {
            reason = THRESHOLD;
        } else if (mode == EmitMode.change && moved(value, reference)) {
            reason = CHANGE;
        } else if (mode == EmitMode.always) {
            reason = ALWAYS;
        }
        if (reason == null) {
            return null;
        }
        lastEmitted = value;
        return new Decision(value, reason, state, previousState, reference);
    }

    /** The state the filter is in (null before the first reading or without thresholds). */
    public String state() {
        return state;
    }

    private String stateAfter(double value, String previous) {
        if (above == null) {
            return null;
        }
        if (highState.equals(previous)) {
            // hysteresis: stay high until the value is at or under below (strictly under above when below = above,
            // so that a value sitting exactly on the threshold does not flap)
            return value <= below && value < above ? normalState : highState;
        }
        return value >= above ? highState : normalState;
    }

    private boolean moved(double value, double reference) {
        double band = deadbandMode == DeadbandMode.percent ? Math.abs(reference) * deadband / 100.0 : deadband;
        return Math.abs(value - reference) > band;
    }
}
