package io.backplane.component.prometheus;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import io.backplane.core.Tags;
import io.backplane.core.http.HttpAuth;
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
 * Polls a PromQL instant query and emits one Backplane event per returned series: every poll ({@code always} mode),
 * or only when a series crosses a threshold ({@code firing}) and comes back ({@code resolved}).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "prometheus", title = "Prometheus query", syntax = "prometheus:name",
             consumerOnly = true, category = { Category.MONITORING }, headersClass = PrometheusConstants.class)
public class PrometheusEndpoint extends DefaultEndpoint {

    @UriPath(description = "The name of this check: the third segment of the event tags "
                           + "(monitor/prometheus/NAME/...), made one safe segment with Tags.segment, and data.name.")
    @Metadata(required = true)
    private String name;

    @UriParam(description = "Base address of the Prometheus server (or of anything serving its HTTP API, e.g. Thanos "
                            + "or Mimir with their path prefix), e.g. http://127.0.0.1:9090. The component adds "
                            + "/api/v1/query. No credentials in it: use token or username/password.")
    @Metadata(required = true)
    private String url;

    @UriParam(description = "The PromQL expression, evaluated as an instant query at each poll. It must return an "
                            + "instant vector or a scalar.")
    @Metadata(required = true)
    private String query;

    @UriParam(defaultValue = "15s", javaType = "java.time.Duration",
              description = "Time between polls (15s, 1m, or milliseconds). The next poll is scheduled when the "
                            + "previous one, and the routing of its events, is done.")
    private long interval = 15_000;

    @UriParam(description = "Threshold mode: a series fires (event .../firing) when its value goes above this. "
                            + "Without it the consumer is in always mode and emits every series at every poll "
                            + "(event .../sample).")
    private Double above;

    @UriParam(description = "Threshold mode: a firing series resolves (event .../resolved) when its value is at or "
                            + "below this. Must not be greater than above; defaults to above (no hysteresis). Needs "
                            + "above.")
    private Double below;

    @UriParam(defaultValue = "instance",
              description = "The label whose value becomes the event subject. A series without it (e.g. after "
                            + "sum() or for a scalar) gets the endpoint name as subject.")
    private String subjectLabel = "instance";

    @UriParam(defaultValue = "GET", enums = "GET,POST",
              description = "HTTP method of the query: GET (query in the URL) or POST (query as a form body, for "
                            + "long queries).")
    private String method = "GET";

    @UriParam(label = "advanced", defaultValue = "10s", javaType = "java.time.Duration",
              description = "How long one query may take (connecting and answering) before the poll fails.")
    private long timeout = 10_000;

    @UriParam(label = "advanced", defaultValue = "5m", javaType = "java.time.Duration",
              description = "Upper bound of the wait between polls while they fail: the wait doubles with each failed "
                            + "poll in a row (2, 4, 8... times the interval) up to this, and is never less than "
                            + "interval.")
    private long maxBackoff = 300_000;

    @UriParam(label = "security", secret = true,
              description = "Bearer token, sent as the header Authorization: Bearer TOKEN. Use a property "
                            + "placeholder, not a literal in a route file.")
    private String token;

    @UriParam(label = "security", secret = true,
              description = "User name for HTTP basic authentication (with password).")
    private String username;

    @UriParam(label = "security", secret = true,
              description = "Password for HTTP basic authentication. Use a property placeholder, not a literal in a "
                            + "route file.")
    private String password;

    private HttpAuth auth = HttpAuth.open();

    public PrometheusEndpoint(String uri, PrometheusComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public PrometheusComponent getComponent() {
        return (PrometheusComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("prometheus: is a consumer only (from: prometheus:<name>?...); "
                                                + "it cannot be used in to:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        PrometheusConsumer consumer = new PrometheusConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Checks the options and their combinations; called when the endpoint is created. */
    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("prometheus: needs a name, e.g. prometheus:error-rate?url=http://"
                                               + "127.0.0.1:9090&query=...");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required: the Prometheus base address, e.g. "
                                               + "http://127.0.0.1:9090");
        }
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid address: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(parsed.getScheme()) && !"https".equalsIgnoreCase(parsed.getScheme())
            || parsed.getHost() == null) {
            throw new IllegalArgumentException("url must be an http:// or https:// address with a host, e.g. "
                                               + "http://127.0.0.1:9090, was " + url);
        }
        if (parsed.getRawUserInfo() != null) {
            // never echo the URL here: it holds a password
            throw new IllegalArgumentException("url must not contain credentials: use the username and password "
                                               + "(or token) options");
        }
        if (parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
            throw new IllegalArgumentException("url must be the base address without ?query or #fragment (the "
                                               + "component adds /api/v1/query), was " + url);
        }
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query is required: a PromQL expression returning an instant vector "
                                               + "or a scalar, e.g. up == 0");
        }
        requirePositive("interval", interval);
        requirePositive("timeout", timeout);
        requirePositive("maxBackoff", maxBackoff);
        if (below != null && above == null) {
            throw new IllegalArgumentException("below needs above: a series fires above 'above' and resolves at or "
                                               + "below 'below'");
        }
        if (above != null && !Double.isFinite(above)) {
            throw new IllegalArgumentException("above must be a finite number, was " + above);
        }
        if (below != null && !Double.isFinite(below)) {
            throw new IllegalArgumentException("below must be a finite number, was " + below);
        }
        if (above != null && below != null && below > above) {
            throw new IllegalArgumentException("below (" + below + ") must be <= above (" + above + "): a series "
                                               + "fires above 'above' and resolves at or below 'below'");
        }
        if (subjectLabel == null || subjectLabel.isBlank()) {
            throw new IllegalArgumentException("subjectLabel must not be empty (default: instance)");
        }
        method = method == null ? null : method.toUpperCase(java.util.Locale.ROOT);
        if (!"GET".equals(method) && !"POST".equals(method)) {
            throw new IllegalArgumentException("method must be GET or POST, was " + method);
        }
        boolean hasToken = token != null && !token.isBlank();
        boolean hasUser = username != null && !username.isBlank();
        if (hasToken && hasUser) {
            throw new IllegalArgumentException("set either token (bearer) or username and password (basic), not "
                                               + "both");
        }
        if (!hasUser && password != null && !password.isBlank()) {
            throw new IllegalArgumentException("password needs username (HTTP basic authentication)");
        }
        auth = HttpAuth.of(token, username, password);
    }

    private static void requirePositive(String option, long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException(option + " must be positive, was " + millis + " ms");
        }
    }

    /** The first tag segments of this endpoint's events: monitor/prometheus/&lt;name&gt;. */
    String tagPrefix() {
        return "monitor/prometheus/" + Tags.segment(name);
    }

    boolean isThresholdMode() {
        return above != null;
    }

    /** The resolve threshold: below, or above when not set. */
    double resolveAt() {
        return below != null ? below : above;
    }

    PrometheusClient newClient() {
        return new PrometheusClient(url, method, query, auth.header(), Duration.ofMillis(timeout));
    }

    boolean hasCredentials() {
        return !auth.isOpen();
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getQuery() {
        return query;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public long getInterval() {
        return interval;
    }

    public void setInterval(long interval) {
        this.interval = interval;
    }

    public Double getAbove() {
        return above;
    }

    public void setAbove(Double above) {
        this.above = above;
    }

    public Double getBelow() {
        return below;
    }

    public void setBelow(Double below) {
        this.below = below;
    }

    public String getSubjectLabel() {
        return subjectLabel;
    }

    public void setSubjectLabel(String subjectLabel) {
        this.subjectLabel = subjectLabel;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public long getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(long maxBackoff) {
        this.maxBackoff = maxBackoff;
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
}
