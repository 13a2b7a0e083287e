package io.backplane.component.state;

import org.apache.camel.spi.Metadata;

/** Headers the {@code state:} producers set (none are read: the endpoint options say what to do). */
public final class StateConstants {

    @Metadata(description = "The key the operation used (the key template filled from the event), or the prefix for "
                            + "list and delete by prefix.", javaType = "String")
    public static final String KEY = "CamelStateKey";

    @Metadata(description = "get: the fact's value (a String, Number, Boolean, Map or List), or null when there is "
                            + "none.", javaType = "Object")
    public static final String VALUE = "CamelStateValue";

    @Metadata(description = "get: whether the fact exists. set: whether the key held a fact before (false = first "
                            + "time). delete: whether anything was deleted.", javaType = "Boolean")
    public static final String FOUND = "CamelStateFound";

    @Metadata(description = "get: when the fact expires (RFC 3339), or null without a TTL.", javaType = "String")
    public static final String EXPIRES = "CamelStateExpires";

    @Metadata(description = "list: the facts under the prefix, key to value, sorted by key.",
              javaType = "java.util.Map<String, Object>")
    public static final String FACTS = "CamelStateFacts";

    @Metadata(description = "list: how many facts are under the prefix. delete: how many were deleted.",
              javaType = "Integer")
    public static final String COUNT = "CamelStateCount";

    @Metadata(description = "gates: whether the gate is open.", javaType = "Boolean")
    public static final String GATE_OPEN = "CamelStateGateOpen";

    @Metadata(description = "gates: why the gate is closed (empty when open).", javaType = "java.util.List<String>")
    public static final String GATE_REASONS = "CamelStateGateReasons";

    private StateConstants() {
    }
}
