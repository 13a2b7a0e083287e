package io.backplane.component.watchdog;

import org.apache.camel.spi.Metadata;

/** Headers of the watchdog component, besides the CloudEvents headers of the emitted event. */
public final class WatchdogConstants {

    @Metadata(description = "The key that went missing or came back.", javaType = "String")
    public static final String KEY = "CamelWatchdogKey";

    @Metadata(description = "missing or back.", javaType = "String")
    public static final String STATE = "CamelWatchdogState";

    private WatchdogConstants() {
    }
}
