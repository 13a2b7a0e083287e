package io.backplane.component.alertmanager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.InvalidEventException;
import io.backplane.core.Tags;

/**
 * Turns one webhook notification (Prometheus Alertmanager payload version "4", or Grafana unified alerting's version
 * "1") into one event per alert. The whole payload is read and checked before anything is returned, so a bad alert
 * anywhere rejects the notification before its first alert could be emitted.
 */
final class WebhookParser {

    static final String ALERTMANAGER = "alertmanager";
    static final String GRAFANA = "grafana";
    static final String ALERTMANAGER_VERSION = "4";
    static final String GRAFANA_VERSION = "1";

    private static final String FIRING = "firing";
    private static final String RESOLVED = "resolved";
    private static final String[] ALERT_STRINGS = { "startsAt", "endsAt", "generatorURL", "fingerprint" };
    private static final String[] GRAFANA_GROUP_FIELDS = { "orgId", "title", "state", "message" };
    private static final String[] GRAFANA_ALERT_FIELDS = {
            "values", "valueString", "dashboardURL", "panelURL", "silenceURL", "imageURL" };

    /** One alert of a notification, as the event to emit plus what repeat suppression compares. */
    record Alert(Event event, String sender, String repeatKey, String repeatState) {
    }

    private final String[] subjectLabels;

    /** @param subjectLabels labels tried in order for the subject; the alert name when none is present */
    WebhookParser(String[] subjectLabels) {
        this.subjectLabels = subjectLabels;
    }

    List<Alert> parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidEventException("request body is empty: expected an Alertmanager or Grafana webhook "
                                            + "notification (JSON)");
        }
        Map<String, Object> root = EventCodec.readObject(body, "notification");
        String sender = sender(root);
        String receiver = optString(root, "receiver", "");
        String groupKey = optString(root, "groupKey", "");
        String externalUrl = optString(root, "externalURL", "");
        Map<String, Object> groupLabels = optObject(root, "groupLabels", "");
        Object alertsValue = root.get("alerts");
        if (alertsValue == null) {
            throw new InvalidEventException("missing 'alerts' array: not an Alertmanager or Grafana webhook "
                                            + "notification");
        }
        if (!(alertsValue instanceof List)) {
            throw new InvalidEventException("'alerts' must be an array, got " + EventCodec.jsonKind(alertsValue));
        }
        List<?> alerts = (List<?>) alertsValue;
        String prefix = "monitor/" + sender + "/";
        String source = receiver == null || receiver.isEmpty() ? sender : sender + "/" + Tags.segment(receiver);
        List<Alert> out = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            String where = "alerts[" + i + "]";
            if (!(alerts.get(i) instanceof Map)) {
                throw new InvalidEventException(where + " must be an object, got " + EventCodec.jsonKind(alerts.get(i)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> alert = (Map<String, Object>) alerts.get(i);
            String status = optString(alert, "status", where + ".");
            if (status == null) {
                throw new InvalidEventException(where + ".status is missing: expected \"firing\" or \"resolved\"");
            }
            if (!FIRING.equals(status) && !RESOLVED.equals(status)) {
                throw new InvalidEventException(where + ".status '" + status
                                                + "' is not \"firing\" or \"resolved\"");
            }
            Map<String, Object> labels = optObject(alert, "labels", where + ".");
            if (labels == null) {
                throw new InvalidEventException(where + ".labels is missing: every alert needs labels.alertname");
            }
            for (Map.Entry<String, Object> label : labels.entrySet()) {
                if (!(label.getValue() instanceof String)) {
                    throw new InvalidEventException(where + ".labels." + label.getKey() + " must be a string, got "
                                                    + EventCodec.jsonKind(label.getValue()));
                }
            }
            String alertname = (String) labels.get("alertname");
            if (alertname == null || alertname.isEmpty()) {
                throw new InvalidEventException(where + ".labels.alertname is missing or empty");
            }
            Map<String, Object> annotations = optObject(alert, "annotations", where + ".");

            Map<String, Object> data = new LinkedHashMap<>(32);
            data.put("status", status);
            data.put("labels", labels);
            data.put("annotations", annotations == null ? Map.of() : annotations);
            for (String field : ALERT_STRINGS) {
                putIfPresent(data, field, optString(alert, field, where + "."));
            }
            putIfPresent(data, "receiver", receiver);
            putIfPresent(data, "groupKey", groupKey);
            putIfPresent(data, "externalURL", externalUrl);
            putIfPresent(data, "groupLabels", groupLabels);
            if (GRAFANA.equals(sender)) {
                for (String field : GRAFANA_GROUP_FIELDS) {
                    putIfPresent(data, field, root.get(field));
                }
                for (String field : GRAFANA_ALERT_FIELDS) {
                    putIfPresent(data, field, alert.get(field));
                }
            }
            Event event = Event.builder(prefix + Tags.segment(alertname) + "/" + status)
                    .subject(subject(labels, alertname))
                    .source(source)
                    .data(data)
                    .build();
            String fingerprint = (String) data.get("fingerprint");
            // a new episode of the same alert has a new startsAt; a repeat keeps it
            String repeatKey = (receiver == null ? "" : receiver) + '\n'
                               + (fingerprint != null && !fingerprint.isEmpty() ? fingerprint
                                       : new TreeMap<>(labels).toString());
            out.add(new Alert(event, sender, repeatKey, status + '\n' + data.get("startsAt")));
        }
        return Collections.unmodifiableList(out);
    }

    private String subject(Map<String, Object> labels, String alertname) {
        for (String label : subjectLabels) {
            Object value = labels.get(label);
            if (value instanceof String && !((String) value).isEmpty()) {
                return (String) value;
            }
        }
        return alertname;
    }

    /** Alertmanager sends version "4"; Grafana "1" (older Grafana may omit it, but always sends orgId and state). */
    private static String sender(Map<String, Object> root) {
        Object version = root.get("version");
        if (version == null) {
            if (root.containsKey("orgId") || root.containsKey("state")) {
                return GRAFANA;
            }
            throw new InvalidEventException("missing 'version': supported are \"" + ALERTMANAGER_VERSION
                                            + "\" (Prometheus Alertmanager) and \"" + GRAFANA_VERSION
                                            + "\" (Grafana)");
        }
        String v = String.valueOf(version);
        if (ALERTMANAGER_VERSION.equals(v)) {
            return ALERTMANAGER;
        }
        if (GRAFANA_VERSION.equals(v)) {
            return GRAFANA;
        }
        throw new InvalidEventException("unsupported payload version '" + v + "': supported are \""
                                        + ALERTMANAGER_VERSION + "\" (Prometheus Alertmanager) and \""
                                        + GRAFANA_VERSION + "\" (Grafana)");
    }

    private static String optString(Map<String, Object> map, String key, String where) {
        Object v = map.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new InvalidEventException(where + key + " must be a string, got " + EventCodec.jsonKind(v));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> optObject(Map<String, Object> map, String key, String where) {
        Object v = map.get(key);
        if (v == null || v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw new InvalidEventException(where + key + " must be an object, got " + EventCodec.jsonKind(v));
    }

    private static void putIfPresent(Map<String, Object> data, String key, Object value) {
        if (value != null) {
            data.put(key, value);
        }
    }
}
