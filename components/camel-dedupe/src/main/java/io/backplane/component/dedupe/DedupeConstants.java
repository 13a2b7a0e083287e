package io.backplane.component.dedupe;

import org.apache.camel.spi.Metadata;

/** Headers of the dedupe component. */
public final class DedupeConstants {

    @Metadata(label = "producer", description = "true when the event was suppressed (the exchange also stops, unless "
                                                + "stopOnSuppress=false); false when it passed. Always true for "
                                                + "debounce: the event comes out later from the consumer.",
              javaType = "boolean")
    public static final String SUPPRESSED = "CamelDedupeSuppressed";

    @Metadata(description = "Producer: once: events of the key in its window so far, this one included; count: events "
                            + "in the sliding window, this one included (equal to count when it passes); rate: "
                            + "firings within the sliding window, this one included when it passed; debounce: events "
                            + "held for the key so far. Consumer: the events the emitted one stands for.",
              javaType = "int")
    public static final String COUNT = "CamelDedupeCount";

    @Metadata(description = "The key the event was grouped by.", javaType = "String")
    public static final String KEY = "CamelDedupeKey";

    private DedupeConstants() {
    }
}
