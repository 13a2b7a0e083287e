package io.backplane.component.probe;

import org.apache.camel.spi.Metadata;

/**
 * Message headers set by the probe consumer, besides the CloudEvents headers ({@code CamelCloudEventType},
 * {@code CamelCloudEventSubject}, ...) that every Backplane source sets.
 */
public final class ProbeConstants {

    @Metadata(description = "The probe's name (the path of the endpoint URI, as written).", javaType = "String")
    public static final String NAME = "CamelProbeName";

    @Metadata(description = "The probe's confirmed state after this check: up, down or unknown (not yet confirmed).",
              javaType = "String")
    public static final String STATE = "CamelProbeState";

    @Metadata(description = "Whether the check that produced this event succeeded.", javaType = "Boolean")
    public static final String OK = "CamelProbeOk";

    private ProbeConstants() {
    }
}
