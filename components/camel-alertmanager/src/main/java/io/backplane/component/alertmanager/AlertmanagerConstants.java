package io.backplane.component.alertmanager;

import org.apache.camel.spi.Metadata;

/**
 * Headers the consumer sets on each exchange, besides the CloudEvents headers of the event in the body
 * ({@code CamelCloudEventType}, {@code CamelCloudEventSubject}, ...).
 */
public final class AlertmanagerConstants {

    @Metadata(description = "Who sent the notification: alertmanager (payload version 4) or grafana (version 1, or "
                            + "orgId/state present).",
              javaType = "String")
    public static final String SENDER = "CamelAlertmanagerSender";

    @Metadata(description = "Position of this alert in the notification's alerts array, from 0.", javaType = "Integer")
    public static final String ALERT_INDEX = "CamelAlertmanagerAlertIndex";

    @Metadata(description = "Number of alerts in the notification (suppressed repeats included).",
              javaType = "Integer")
    public static final String ALERT_COUNT = "CamelAlertmanagerAlertCount";

    private AlertmanagerConstants() {
    }
}
