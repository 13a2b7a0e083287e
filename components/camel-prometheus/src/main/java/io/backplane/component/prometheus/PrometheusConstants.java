package io.backplane.component.prometheus;

import org.apache.camel.spi.Metadata;

/**
 * Message headers set by the {@code prometheus:} consumer, next to the CloudEvents headers of the event in the body.
 */
public final class PrometheusConstants {

    @Metadata(description = "What the event reports: sample (always mode), firing or resolved (threshold mode).",
              javaType = "String")
    public static final String STATE = "CamelPrometheusState";

    @Metadata(description = "The series' value as a double, NaN and infinities included (the event's data.value is "
                            + "null for those). Not set for a series resolved because it is absent from the result.",
              javaType = "Double")
    public static final String VALUE = "CamelPrometheusValue";

    @Metadata(description = "The series' labels (empty for a scalar result), the same map as data.labels.",
              javaType = "java.util.Map<String, String>")
    public static final String LABELS = "CamelPrometheusLabels";

    private PrometheusConstants() {
    }
}
