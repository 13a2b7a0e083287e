package io.backplane.component.dedupe;

/**
 * Counters of one dedupe name since it was created.
 *
 * @param passed     events let through (once, count, rate)
 * @param suppressed events stopped (for debounce: every event, since it comes out later)
 * @param emitted    debounce: events emitted to the consumer after a quiet period
 * @param dropped    debounce: events due while no consumer was running
 * @param evicted    keys evicted because maxKeys was reached
 * @param missingKey events without a key (refused with an error)
 * @param keys       keys held now
 */
public record DedupeStats(long passed, long suppressed, long emitted, long dropped, long evicted, long missingKey,
                          int keys) {
}
