package io.backplane.component.bus;

import io.backplane.core.EventHeaders;
import org.apache.camel.spi.Metadata;

/** Headers set on every exchange a bus: consumer creates (the event's CloudEvents attributes). */
public final class BusConstants {

    @Metadata(description = "The event id.", javaType = "String")
    public static final String ID = EventHeaders.ID;
    @Metadata(description = "The event source.", javaType = "String")
    public static final String SOURCE = EventHeaders.SOURCE;
    @Metadata(description = "The event tag (CloudEvents type). A producer uses it as the tag of a map body that "
                            + "has no type of its own when the endpoint names no tag.", javaType = "String")
    public static final String TYPE = EventHeaders.TYPE;
    @Metadata(description = "The resource the event is about (CloudEvents subject).", javaType = "String")
    public static final String SUBJECT = EventHeaders.SUBJECT;
    @Metadata(description = "When the event happened (RFC 3339).", javaType = "String")
    public static final String TIME = EventHeaders.TIME;
    @Metadata(description = "The CloudEvents spec version, 1.0.", javaType = "String")
    public static final String VERSION = EventHeaders.VERSION;
    @Metadata(description = "The id of the event that caused this one (extension causationid).",
              javaType = "String")
    public static final String CAUSATION_ID = EventHeaders.CAUSATION_ID;

    private BusConstants() {
    }
}
