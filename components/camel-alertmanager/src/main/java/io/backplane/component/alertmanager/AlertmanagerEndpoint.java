package io.backplane.component.alertmanager;

import java.util.Arrays;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Receive Prometheus Alertmanager and Grafana webhook notifications over HTTP and emit one Backplane event per alert.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "alertmanager", title = "Alertmanager webhook",
             syntax = "alertmanager:path", consumerOnly = true, remote = true,
             category = { Category.MONITORING }, headersClass = AlertmanagerConstants.class)
public class AlertmanagerEndpoint extends DefaultEndpoint {

    /** 4 MiB: a group of many alerts with long annotations is much larger than one event. */
    static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

    @UriPath(description = "The HTTP path to serve on Camel's platform HTTP server (configured by the camel.server "
                           + "options, shared with the /events ingest), e.g. /hooks/alertmanager. Point Alertmanager's "
                           + "webhook_config url (or a Grafana webhook contact point) at it. Only POST is accepted.")
    @Metadata(required = true)
    private String path;

    @UriParam(label = "security", secret = true,
              description = "Bearer token the sender must present (Authorization: Bearer TOKEN; Alertmanager's "
                            + "http_config.authorization.credentials). Without token and username anyone who can "
                            + "reach the server may post alerts.")
    private String token;

    @UriParam(label = "security", secret = true,
              description = "User for HTTP basic authentication (Alertmanager's http_config.basic_auth); requires "
                            + "password. If token is set as well, either credential is accepted.")
    private String username;

    @UriParam(label = "security", secret = true, description = "Password for HTTP basic authentication.")
    private String password;

    @UriParam(defaultValue = "instance",
              description = "The label whose value becomes the event's subject; a comma-separated list is tried in "
                            + "order (e.g. instance,pod,job). When none is present the subject is the alert name.")
    private String subjectLabel = "instance";

    @UriParam(defaultValue = "false",
              description = "Drop notifications that repeat what was already emitted for an alert: the same receiver, "
                            + "fingerprint, status and startsAt. Any change (firing, then resolved, then firing again) "
                            + "passes.")
    private boolean suppressRepeats;

    @UriParam(label = "advanced", defaultValue = "10000",
              description = "suppressRepeats: how many alerts are remembered at most; when full the alert emitted "
                            + "longest ago is forgotten (its next repeat is emitted again).")
    private int suppressRepeatsMaxEntries = 10000;

    @UriParam(label = "advanced", defaultValue = "24h", javaType = "java.time.Duration",
              description = "suppressRepeats: how long an emitted alert is remembered. A repeat arriving later is "
                            + "emitted again (a reminder that it still fires) and remembered anew. Keep it longer "
                            + "than Alertmanager's repeat_interval (default 4h), or nothing is suppressed.")
    private long suppressRepeatsExpiry = 24L * 60 * 60 * 1000;

    @UriParam(label = "advanced", defaultValue = "4194304",
              description = "Largest request body accepted, in bytes; larger notifications are answered with 413. "
                            + "The platform HTTP server's own limit (camel.server.maxBodySize) applies first.")
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

    public AlertmanagerEndpoint(String uri, AlertmanagerComponent component, String path) {
        super(uri, component);
        this.path = path;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("alertmanager: receives webhooks and can only be used in from:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        AlertmanagerConsumer consumer = new AlertmanagerConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Checks the options; called when the endpoint is created, so a bad URI fails the route at start. */
    void validate() {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path is required, e.g. alertmanager:/hooks/alertmanager");
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c == '?' || c == '#' || c == '*' || c == '{' || c == '}' || c == ':') {
                throw new IllegalArgumentException("path '" + path + "' may not contain whitespace, '?', '#', '*', "
                                                   + "':', '{' or '}': it is one fixed HTTP path");
            }
        }
        if (isBlank(username) != isBlank(password)) {
            throw new IllegalArgumentException("username and password go together: set both for basic "
                                               + "authentication, or neither");
        }
        if (subjectLabels().length == 0) {
            throw new IllegalArgumentException("subjectLabel must name at least one label, e.g. instance");
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        if (suppressRepeatsMaxEntries <= 0) {
            throw new IllegalArgumentException("suppressRepeatsMaxEntries must be positive, got "
                                               + suppressRepeatsMaxEntries);
        }
        if (suppressRepeatsExpiry <= 0) {
            throw new IllegalArgumentException("suppressRepeatsExpiry must be positive, got " + suppressRepeatsExpiry
                                               + " ms");
        }
    }

    String[] subjectLabels() {
        return subjectLabel == null ? new String[0]
                : Arrays.stream(subjectLabel.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .toArray(String[]::new);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getSubjectLabel() {
        return subjectLabel;
    }

    public void setSubjectLabel(String subjectLabel) {
        this.subjectLabel = subjectLabel;
    }

    public boolean isSuppressRepeats() {
        return suppressRepeats;
    }

    public void setSuppressRepeats(boolean suppressRepeats) {
        this.suppressRepeats = suppressRepeats;
    }

    public int getSuppressRepeatsMaxEntries() {
        return suppressRepeatsMaxEntries;
    }

    public void setSuppressRepeatsMaxEntries(int suppressRepeatsMaxEntries) {
        this.suppressRepeatsMaxEntries = suppressRepeatsMaxEntries;
    }

    public long getSuppressRepeatsExpiry() {
        return suppressRepeatsExpiry;
    }

    public void setSuppressRepeatsExpiry(long suppressRepeatsExpiry) {
        this.suppressRepeatsExpiry = suppressRepeatsExpiry;
    }

    public int getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }
}
