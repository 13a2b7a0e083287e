package io.backplane.core;

/**
 * Header names for the CloudEvents attributes of the event in the body; the same names camel-cloudevents uses, so
 * routes written for it read Backplane events unchanged.
 */
public final class EventHeaders {

    public static final String ID = "CamelCloudEventID";
    public static final String SOURCE = "CamelCloudEventSource";
    public static final String TYPE = "CamelCloudEventType";
    public static final String SUBJECT = "CamelCloudEventSubject";
    public static final String TIME = "CamelCloudEventTime";
    public static final String VERSION = "CamelCloudEventVersion";
    public static final String DATA_CONTENT_TYPE = "CamelCloudEventDataContentType";
    /** The {@code causationid} extension: the id of the event that caused this one. */
    public static final String CAUSATION_ID = "CamelCloudEventCausationId";

    private EventHeaders() {
    }
}
