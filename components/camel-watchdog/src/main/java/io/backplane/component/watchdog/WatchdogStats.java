package io.backplane.component.watchdog;

/**
 * Counters of one running watchdog since its route started.
 *
 * @param received   events that matched the glob
 * @param ignored    events without a key, or emitted by a watchdog
 * @param missing    missing events emitted
 * @param back       back events emitted
 * @param evicted    keys forgotten because maxKeys was reached
 * @param activeKeys keys reporting now
 * @param missingKeys keys missing now
 */
public record WatchdogStats(long received, long ignored, long missing, long back, long evicted, int activeKeys,
                            int missingKeys) {
}
