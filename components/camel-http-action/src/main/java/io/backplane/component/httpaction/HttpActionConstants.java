package io.backplane.component.httpaction;

import org.apache.camel.spi.Metadata;

/**
 * Headers the producer sets after each action, next to the CloudEvents headers of the result event (the body), so a
 * route can branch on the outcome without reading the body.
 */
public final class HttpActionConstants {

    @Metadata(label = "producer", description = "The outcome of the action: ok, failed, timeout or refused (the last "
                                                + "segment of the result tag).",
              javaType = "String")
    public static final String OUTCOME = "CamelHttpActionOutcome";

    @Metadata(label = "producer", description = "The HTTP status of the last response. Not set when no response "
                                                + "came (refused, connection error, timeout).",
              javaType = "Integer")
    public static final String STATUS = "CamelHttpActionStatus";

    @Metadata(label = "producer", description = "True when the action was dead-lettered (failed because of the "
                                                + "target after retries, or refused by an open circuit).",
              javaType = "Boolean")
    public static final String DEAD_LETTER = "CamelHttpActionDeadLetter";

    private HttpActionConstants() {
    }
}
