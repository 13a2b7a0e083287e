package io.backplane.component.beacon;

import org.apache.camel.spi.Metadata;

/**
 * Message headers set by the beacon consumer, besides the CloudEvents headers of the event in the body
 * ({@code CamelCloudEventType}, {@code CamelCloudEventSubject}, ...).
 */
public final class BeaconConstants {

    @Metadata(description = "The metric: load, cpu, memory, swap, disk or process (the same as data.metric).",
              javaType = "String")
    public static final String METRIC = "CamelBeaconMetric";

    @Metadata(description = "The state after this reading: high or normal (when thresholds are set), running or "
                            + "stopped (process). Not set without thresholds.",
              javaType = "String")
    public static final String STATE = "CamelBeaconState";

    @Metadata(description = "Why the event was emitted: initial, threshold, change or always (the same as "
                            + "data.reason).",
              javaType = "String")
    public static final String REASON = "CamelBeaconReason";

    private BeaconConstants() {
    }
}
