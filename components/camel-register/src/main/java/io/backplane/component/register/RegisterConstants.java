package io.backplane.component.register;

import org.apache.camel.spi.Metadata;

/**
 * Headers set by the {@code register:} producer. Only the operations named in {@code ops} are set; a result that does
 * not exist (the mean of an empty window, the slope of one sample, a threshold the line moves away from) is removed
 * rather than set to null, so a {@code choice} can test it with {@code != null} or a plain comparison.
 */
public final class RegisterConstants {

    @Metadata(description = "The register's name (the endpoint path).", javaType = "String")
    public static final String NAME = "CamelRegisterName";

    @Metadata(description = "The key the sample was filed under (or read from), e.g. the event's subject.",
              javaType = "String")
    public static final String KEY = "CamelRegisterKey";

    @Metadata(description = "The sample read from the event (update mode).", javaType = "Double")
    public static final String VALUE = "CamelRegisterValue";

    @Metadata(description = "ops=count: samples in the key's window, including this one.", javaType = "Integer")
    public static final String COUNT = "CamelRegisterCount";

    @Metadata(description = "ops=sum: sum of the window's values (0 for an empty window).", javaType = "Double")
    public static final String SUM = "CamelRegisterSum";

    @Metadata(description = "ops=mean: arithmetic mean of the window's values.", javaType = "Double")
    public static final String MEAN = "CamelRegisterMean";

    @Metadata(description = "ops=min: smallest value in the window.", javaType = "Double")
    public static final String MIN = "CamelRegisterMin";

    @Metadata(description = "ops=max: largest value in the window.", javaType = "Double")
    public static final String MAX = "CamelRegisterMax";

    @Metadata(description = "ops=p50: median of the window (linear interpolation between closest ranks).",
              javaType = "Double")
    public static final String P50 = "CamelRegisterP50";

    @Metadata(description = "ops=p95: 95th percentile of the window (linear interpolation between closest ranks).",
              javaType = "Double")
    public static final String P95 = "CamelRegisterP95";

    @Metadata(description = "ops=p99: 99th percentile of the window (linear interpolation between closest ranks).",
              javaType = "Double")
    public static final String P99 = "CamelRegisterP99";

    @Metadata(description = "ops=rate: per-second increase of the value read as a counter (a drop is a counter "
                            + "reset): sum of the increases between consecutive samples divided by the seconds "
                            + "between the oldest and newest sample. Needs two samples at different times.",
              javaType = "Double")
    public static final String RATE = "CamelRegisterRate";

    @Metadata(description = "ops=eventRate: samples per second, (count - 1) divided by the seconds between the oldest "
                            + "and newest sample. Needs two samples at different times.",
              javaType = "Double")
    public static final String EVENT_RATE = "CamelRegisterEventRate";

    @Metadata(description = "ops=ewma: exponentially weighted moving average of every sample of the key since it was "
                            + "created (e = alpha * value + (1 - alpha) * e; the first sample starts it).",
              javaType = "Double")
    public static final String EWMA = "CamelRegisterEwma";

    @Metadata(description = "ops=slope: least-squares slope of value over time, in value units per second. Needs two "
                            + "samples at different times.",
              javaType = "Double")
    public static final String SLOPE = "CamelRegisterSlope";

    @Metadata(description = "ops=predict: seconds from the newest sample until the least-squares line reaches the "
                            + "threshold option; absent when the line moves away from it (or crossed it already), is "
                            + "flat, or there are fewer than two samples at different times.",
              javaType = "Double")
    public static final String SECONDS_TO_THRESHOLD = "CamelRegisterSecondsToThreshold";

    @Metadata(description = "Why the event did not update the register: missing (no value), nonNumeric, missingKey "
                            + "(no key, or longer than maxKeyLength), invalidTimestamp (timestamp=event), or tooOld "
                            + "(older than the key's time window). Only seen with onMissing=continue: otherwise the "
                            + "exchange stops there.",
              javaType = "String")
    public static final String SKIPPED = "CamelRegisterSkipped";

    @Metadata(description = "With statsHeader=true: the register's counters as a Map (keys, updates, evictions, "
                            + "idleEvictions, lateSamples, tooOldSamples, overflowSamples, missingValues, "
                            + "nonNumericValues, missingKeys, invalidTimestamps).",
              javaType = "java.util.Map<String, Object>")
    public static final String STATS = "CamelRegisterStats";

    private RegisterConstants() {
    }
}
