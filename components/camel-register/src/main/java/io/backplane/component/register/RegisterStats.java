package io.backplane.component.register;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of a register's counters.
 *
 * @param keys              keys held now (never more than maxKeys)
 * @param updates           samples offered (accepted or not)
 * @param evictions         keys evicted because maxKeys was reached (least recently updated first)
 * @param idleEvictions     keys evicted because they were not updated for idleTimeout
 * @param lateSamples       samples older than their key's newest sample (clock or event time going backwards)
 * @param tooOldSamples     late samples older than the whole time window: dropped
 * @param overflowSamples   samples pushed out of a time window early because the key held maxSamples
 * @param missingValues     events without the value (not counted in updates)
 * @param nonNumericValues  events whose value is not a finite number
 * @param missingKeys       events without a key, or with a key longer than maxKeyLength
 * @param invalidTimestamps events whose time is missing or not RFC 3339 (timestamp=event)
 */
public record RegisterStats(int keys, long updates, long evictions,
                            long idleEvictions, long lateSamples, long tooOldSamples, long overflowSamples,
                            long missingValues, long nonNumericValues, long missingKeys, long invalidTimestamps) {

    /** The counters by name (the record's component names), e.g. for the CamelRegisterStats header. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keys", keys);
        m.put("updates", updates);
        m.put("evictions", evictions);
        m.put("idleEvictions", idleEvictions);
        m.put("lateSamples", lateSamples);
        m.put("tooOldSamples", tooOldSamples);
        m.put("overflowSamples", overflowSamples);
        m.put("missingValues", missingValues);
        m.put("nonNumericValues", nonNumericValues);
        m.put("missingKeys", missingKeys);
        m.put("invalidTimestamps", invalidTimestamps);
        return m;
    }
}
