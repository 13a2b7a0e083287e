package io.backplane.component.dedupe;

/** What a {@code dedupe:} producer lets through. */
public enum DedupeMode {
    /** The first event of a key passes; the others within {@code window} after it are suppressed. */
    once,
    /** The {@code count}-th event of a key within a sliding {@code window} passes; then counting starts again. */
    count,
    /** At most {@code limit} events of a key pass within any sliding {@code window}. */
    rate,
    /**
     * Every event is held; the last one of a key is emitted to the {@code from: dedupe:<name>} consumer once the key
     * was quiet for {@code window} (or {@code maxDelay} after the first held event).
     */
    debounce
}
