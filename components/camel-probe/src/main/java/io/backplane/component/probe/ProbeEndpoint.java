package io.backplane.component.probe;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedTrustManager;

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
 * Active checks on a schedule (HTTP(S) request, TCP connect, TLS certificate) that emit an up or down event when the
 * flap-damped state of the target changes.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "probe", title = "Probe", syntax = "probe:name", consumerOnly = true,
             category = { Category.MONITORING }, headersClass = ProbeConstants.class)
public class ProbeEndpoint extends DefaultEndpoint {

    static final String[] TYPES = { "http", "tcp", "tls" };
    static final String[] EMIT_INITIAL = { "all", "down", "none" };

    @UriPath(description = "The probe's name: the NAME segment of the event tags (monitor/probe/NAME/down). "
                           + "Slashes, wildcards and whitespace in it become _ in the tag.")
    @Metadata(required = true)
    private String name;

    @UriParam(enums = "http,tcp,tls",
              description = "What to check: http (an HTTP or HTTPS request, needs url), tcp (a TCP connect, needs "
                            + "host and port) or tls (a TLS handshake and the certificate's days left, needs host "
                            + "and port).")
    @Metadata(required = true)
    private String type;

    @UriParam(defaultValue = "10000", javaType = "java.time.Duration",
              description = "Time between the starts of two checks (e.g. 10s, 1m; a number is milliseconds). A check "
                            + "still running when the next is due is not started twice: that run is skipped.")
    private long interval = 10_000;

    @UriParam(defaultValue = "5000", javaType = "java.time.Duration",
              description = "How long one check may take, connect and response (or handshake) included; slower "
                            + "checks fail with the error 'timeout after 2s' (the timeout's value).")
    private long timeout = 5_000;

    @UriParam(defaultValue = "0", javaType = "java.time.Duration",
              description = "Delay before the first check after the route starts.")
    private long initialDelay;

    @UriParam(defaultValue = "3",
              description = "Consecutive failed checks that make the state down (flap damping). At least 1.")
    private int failures = 3;

    @UriParam(defaultValue = "2",
              description = "Consecutive good checks that make the state up (flap damping). At least 1.")
    private int successes = 2;

    @UriParam(defaultValue = "all", enums = "all,down,none",
              description = "Which first confirmed state (the change from unknown, after failures or successes "
                            + "checks) is emitted: all (up or down), down (only a target that is down at start; a "
                            + "first up is recorded silently), none. Later changes are always emitted.")
    private String emitInitial = "all";

    @UriParam(defaultValue = "false",
              description = "Also emit monitor/probe/NAME/result after every check (ok, latencyMs, error, ...).")
    private boolean metrics;

    @UriParam(description = "The subject of the events. Default: host:port for tcp and tls; the URL's host (and "
                            + "port, when the URL names one) for http.")
    private String subject;

    @UriParam(defaultValue = "0", javaType = "java.time.Duration",
              description = "A check that succeeds but takes longer than this fails with 'slow: 1234ms, more than "
                            + "maxLatency 1s'. 0 = no limit (only timeout applies).")
    private long maxLatency;

    @UriParam(label = "http", description = "type=http: the URL to request, http:// or https://.")
    private String url;

    @UriParam(label = "http", defaultValue = "GET", enums = "GET,HEAD", description = "type=http: GET or HEAD.")
    private String method;

    @UriParam(label = "http", defaultValue = "200-399",
              description = "type=http: the status codes that count as up: codes and ranges, comma-separated, e.g. "
                            + "200,204 or 200-299,301-302.")
    private String expectedStatus;

    @UriParam(label = "http", description = "type=http: the body must contain this text.")
    private String bodyContains;

    @UriParam(label = "http",
              description = "type=http: the body must contain a match of this regular expression (Java syntax, "
                            + "find, not a whole-body match).")
    private String bodyMatches;

    @UriParam(label = "http", defaultValue = "false",
              description = "type=http: follow redirects (never from https to http); the status checked is then the "
                            + "final one. Without it a 3xx answer is checked as it is.")
    private Boolean followRedirects;

    @UriParam(label = "http", defaultValue = "262144",
              description = "type=http: at most this many bytes of the body are read (and searched by bodyContains "
                            + "and bodyMatches); the rest is not downloaded.")
    private Integer maxBodyBytes;

    @UriParam(description = "type=tcp and type=tls: the host name or IP address to connect to.")
    private String host;

    @UriParam(description = "type=tcp and type=tls: the port to connect to (1-65535).")
    private Integer port;

    @UriParam(label = "tls", defaultValue = "14",
              description = "type=tls: the state is down when the leaf certificate has fewer whole days left.")
    private Integer minDaysLeft;

    @UriParam(label = "security",
              description = "type=http (https URLs) and type=tls: the trust store that certificates must chain to, "
                            + "instead of the JDK's cacerts: a file path (or file: / classpath: resource). Host names "
                            + "are always verified.")
    private String trustStore;

    @UriParam(label = "security", secret = true, description = "The trust store's password, if it has one.")
    private String trustStorePassword;

    @UriParam(label = "security",
              description = "The trust store's type (PKCS12, JKS). Default: the JDK's default type (PKCS12, which "
                            + "also reads JKS files).")
    private String trustStoreType;

    private Check check;

    public ProbeEndpoint(String uri, ProbeComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public ProbeComponent getComponent() {
        return (ProbeComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("probe: is a consumer only: use it in from:, not to:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ProbeConsumer consumer = new ProbeConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    /** Checks every option and builds the check; called when the endpoint is created. Errors name the option. */
    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the probe needs a name, e.g. probe:web?type=http&url=...");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("type is required: http, tcp or tls");
        }
        type = type.trim().toLowerCase(Locale.ROOT);
        if (!java.util.Arrays.asList(TYPES).contains(type)) {
            throw new IllegalArgumentException("type must be http, tcp or tls, was '" + type + "'");
        }
        if (interval <= 0) {
            throw new IllegalArgumentException("interval must be more than 0, was " + interval + "ms");
        }
        if (timeout <= 0) {
            throw new IllegalArgumentException("timeout must be more than 0, was " + timeout + "ms");
        }
        requireAtLeast("initialDelay", initialDelay, 0);
        requireAtLeast("maxLatency", maxLatency, 0);
        requireAtLeast("failures", failures, 1);
        requireAtLeast("successes", successes, 1);
        emitInitial = emitInitial == null ? "all" : emitInitial.trim().toLowerCase(Locale.ROOT);
        if (!java.util.Arrays.asList(EMIT_INITIAL).contains(emitInitial)) {
            throw new IllegalArgumentException("emitInitial must be all, down or none, was '" + emitInitial + "'");
        }
        if (subject != null && subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be empty");
        }
        switch (type) {
            case "http":
                onlyFor("tcp and tls", "host", host, "port", port, "minDaysLeft", minDaysLeft);
                check = httpCheck();
                break;
            case "tcp":
                onlyFor("http", "url", url, "method", method, "expectedStatus", expectedStatus, "bodyContains",
                        bodyContains, "bodyMatches", bodyMatches, "followRedirects", followRedirects,
                        "maxBodyBytes", maxBodyBytes);
                onlyFor("tls", "minDaysLeft", minDaysLeft);
                onlyFor("http and tls", "trustStore", trustStore, "trustStorePassword", trustStorePassword,
                        "trustStoreType", trustStoreType);
                requireHostPort();
                check = new TcpCheck(host.trim(), port, timeout);
                break;
            default:
                onlyFor("http", "url", url, "method", method, "expectedStatus", expectedStatus, "bodyContains",
                        bodyContains, "bodyMatches", bodyMatches, "followRedirects", followRedirects,
                        "maxBodyBytes", maxBodyBytes);
                requireHostPort();
                int days = minDaysLeft == null ? 14 : minDaysLeft;
                requireAtLeast("minDaysLeft", days, 0);
                check = new TlsCheck(host.trim(), port, days, timeout, new TrustStores.Capturing(trustManager()));
                break;
        }
    }

    private Check httpCheck() {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required for type=http, e.g. url=http://127.0.0.1:8080/health");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("url must be an http:// or https:// URL with a host, was '" + url + "'");
        }
        if (uri.getRawUserInfo() != null) {
            // it would end up in every event's target; credentials belong in properties, not in URLs
            throw new IllegalArgumentException("url must not contain user info (user:password@)");
        }
        if (!scheme.equals("https")
            && (trustStore != null || trustStorePassword != null || trustStoreType != null)) {
            throw new IllegalArgumentException("trustStore applies to https:// URLs and type=tls only");
        }
        String m = method == null ? "GET" : method.trim().toUpperCase(Locale.ROOT);
        if (!m.equals("GET") && !m.equals("HEAD")) {
            throw new IllegalArgumentException("method must be GET or HEAD, was '" + method + "'");
        }
        StatusRanges status = StatusRanges.parse(expectedStatus == null ? StatusRanges.DEFAULT : expectedStatus);
        Pattern pattern = null;
        if (bodyMatches != null) {
            try {
                pattern = Pattern.compile(bodyMatches);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bodyMatches is not a valid regular expression: "
                                                   + e.getDescription() + " near index " + e.getIndex());
            }
        }
        if (bodyContains != null && bodyContains.isEmpty()) {
            throw new IllegalArgumentException("bodyContains must not be empty");
        }
        int maxBody = maxBodyBytes == null ? 262_144 : maxBodyBytes;
        requireAtLeast("maxBodyBytes", maxBody, 1);
        String trustKey;
        java.util.function.Supplier<SSLContext> sslContext;
        if (trustStore == null) {
            trustKey = "default";
            sslContext = () -> {
                try {
                    return SSLContext.getDefault();
                } catch (Exception e) {
                    throw new IllegalStateException("no default TLS context: " + e.getMessage(), e);
                }
            };
        } else {
            X509ExtendedTrustManager tm = trustManager();
            trustKey = trustStore + "|" + trustStoreType + "|" + java.util.Objects.hashCode(trustStorePassword);
            sslContext = () -> TrustStores.context(tm);
        }
        return new HttpCheck(uri, m, status, bodyContains, pattern, maxBody,
                             followRedirects != null && followRedirects, timeout, trustKey, sslContext);
    }

    private X509ExtendedTrustManager trustManager() {
        if (trustStore == null && (trustStorePassword != null || trustStoreType != null)) {
            throw new IllegalArgumentException("trustStorePassword and trustStoreType need trustStore");
        }
        return TrustStores.load(getCamelContext(), trustStore, trustStorePassword, trustStoreType);
    }

    private void requireHostPort() {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required for type=" + type + ", e.g. host=127.0.0.1&port=5432");
        }
        if (port == null) {
            throw new IllegalArgumentException("port is required for type=" + type + " (1-65535)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
    }

    /** Refuses options of another type: a typo'd probe should fail at start, not check something else. */
    private void onlyFor(String types, Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                throw new IllegalArgumentException(namesAndValues[i] + " applies to type=" + types.replace(" and ",
                                                   " and type=") + " only, not type=" + type);
            }
        }
    }

    private static void requireAtLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
        }
    }

    Check check() {
        return check;
    }

    /** The subject of this probe's events. */
    String eventSubject() {
        return subject != null ? subject : check.defaultSubject();
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public long getInterval() {
        return interval;
    }

    public void setInterval(long interval) {
        this.interval = interval;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public long getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(long initialDelay) {
        this.initialDelay = initialDelay;
    }

    public int getFailures() {
        return failures;
    }

    public void setFailures(int failures) {
        this.failures = failures;
    }

    public int getSuccesses() {
        return successes;
    }

    public void setSuccesses(int successes) {
        this.successes = successes;
    }

    public String getEmitInitial() {
        return emitInitial;
    }

    public void setEmitInitial(String emitInitial) {
        this.emitInitial = emitInitial;
    }

    public boolean isMetrics() {
        return metrics;
    }

    public void setMetrics(boolean metrics) {
        this.metrics = metrics;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public long getMaxLatency() {
        return maxLatency;
    }

    public void setMaxLatency(long maxLatency) {
        this.maxLatency = maxLatency;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public String getExpectedStatus() {
        return expectedStatus;
    }

    public void setExpectedStatus(String expectedStatus) {
        this.expectedStatus = expectedStatus;
    }

    public String getBodyContains() {
        return bodyContains;
    }

    public void setBodyContains(String bodyContains) {
        this.bodyContains = bodyContains;
    }

    public String getBodyMatches() {
        return bodyMatches;
    }

    public void setBodyMatches(String bodyMatches) {
        this.bodyMatches = bodyMatches;
    }

    public Boolean getFollowRedirects() {
        return followRedirects;
    }

    public void setFollowRedirects(Boolean followRedirects) {
        this.followRedirects = followRedirects;
    }

    public Integer getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(Integer maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getMinDaysLeft() {
        return minDaysLeft;
    }

    public void setMinDaysLeft(Integer minDaysLeft) {
        this.minDaysLeft = minDaysLeft;
    }

    public String getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    public String getTrustStoreType() {
        return trustStoreType;
    }

    public void setTrustStoreType(String trustStoreType) {
        this.trustStoreType = trustStoreType;
    }
}
