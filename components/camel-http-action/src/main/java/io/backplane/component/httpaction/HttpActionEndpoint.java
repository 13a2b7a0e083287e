package io.backplane.component.httpaction;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.backplane.core.http.HttpAuth;
import io.backplane.core.template.Template;
import io.backplane.core.template.Template.Escaping;
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
 * The HTTP actor: for each event, one HTTP request built from templates (URL values percent-encoded, JSON body values
 * JSON-escaped), sent by camel-http with retries on 5xx and connection errors, a circuit breaker per target and a
 * dead letter; the exchange body becomes the result event, tagged action/http/name/outcome.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "http-action", title = "HTTP action", syntax = "http-action:name",
             producerOnly = true, category = { Category.HTTP }, headersClass = HttpActionConstants.class)
public class HttpActionEndpoint extends DefaultEndpoint {

    static final ObjectReader JSON_CHECK = new ObjectMapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

    @UriPath(description = "The name of this action: the third segment of the result tag "
                           + "(action/http/NAME/OUTCOME), made safe with Tags.segment, and data.name.")
    @Metadata(required = true)
    private String name;

    @UriParam(description = "The URL, a template: ${path} placeholders (data.service, subject, ...) in the path and "
                            + "query are filled from the event and percent-encoded, so a value can never add a path "
                            + "segment, a query parameter or change the host. The scheme (http or https), host and "
                            + "port are fixed text. In a Java DSL URI wrap it in RAW(...); in YAML use parameters.")
    @Metadata(required = true)
    private String url;

    @UriParam(defaultValue = "POST", enums = "GET,POST,PUT,PATCH,DELETE,HEAD",
              description = "The HTTP method.")
    private String method = "POST";

    @UriParam(description = "The request body for POST, PUT and PATCH, a JSON template: each ${path} placeholder "
                            + "becomes one JSON value (strings quoted and escaped, numbers, booleans, objects and arrays as "
                            + "JSON), so write placeholders without quotes around them. The template must be JSON "
                            + "once each placeholder is a value; this is checked when the endpoint is created. "
                            + "Sent as application/json. Without it POST, PUT and PATCH send the whole event "
                            + "(CloudEvents JSON); GET, DELETE and HEAD never send a body.")
    private String body;

    @UriParam(defaultValue = "3",
              description = "How many times a request is sent again after a 5xx response or a connection error "
                            + "(refused, reset, timeout). A 4xx (or any status below 500 outside 2xx) is final at "
                            + "once. 0 = no retries.")
    private int retries = 3;

    @UriParam(defaultValue = "200ms", javaType = "java.time.Duration",
              description = "Wait before the first retry; each further retry waits twice as long, at most "
                            + "maxBackoff. A 503's Retry-After replaces it (capped at maxBackoff).")
    private long backoff = 200;

    @UriParam(defaultValue = "5s", javaType = "java.time.Duration",
              description = "Longest wait between two attempts.")
    private long maxBackoff = 5000;

    @UriParam(defaultValue = "10s", javaType = "java.time.Duration",
              description = "Per attempt: how long connecting, and each wait for response data, may take. An attempt "
                            + "that runs out is a timeout (retried like a connection error); an action whose last "
                            + "attempt timed out ends with outcome timeout.")
    private long timeout = 10_000;

    @UriParam(defaultValue = "5",
              description = "Circuit breaker: after this many consecutive actions to one target (scheme://host:port) "
                            + "that finally failed because of the target (5xx, connection error, timeout, after "
                            + "retries), the circuit opens: actions are refused at once and nothing is sent. The "
                            + "circuit is shared by all http-action endpoints of the component. 0 = no breaker.")
    private int breakerFailures = 5;

    @UriParam(defaultValue = "30s", javaType = "java.time.Duration",
              description = "How long an open circuit refuses actions. Then one trial action (a single attempt) is "
                            + "let through: success closes the circuit, failure opens it again for this long.")
    private long breakerOpenFor = 30_000;

    @UriParam(description = "Where dead letters go: when an action finally fails because of the target (retries "
                            + "exhausted on 5xx, connection errors or timeouts, or refused by an open circuit), a "
                            + "dead-letter event deadletter/http/NAME holding the original event is sent to this "
                            + "endpoint URI (e.g. bus, bus:deadletter/webhooks, log:deadletter, file:...). The "
                            + "result event says deadLetter: true either way.")
    private String deadLetterUri;

    @UriParam(label = "security", secret = true,
              description = "Bearer token sent as Authorization: Bearer TOKEN. Use a property placeholder "
                            + "({{my.token}}), never a literal in a route file.")
    private String bearerToken;

    @UriParam(label = "security", secret = true,
              description = "User name for basic authentication (with password).")
    private String username;

    @UriParam(label = "security", secret = true,
              description = "Password for basic authentication. Use a property placeholder, never a literal in a "
                            + "route file.")
    private String password;

    @UriParam(description = "Extra request headers, a JSON object of header names to fixed string values (JSON "
                            + "because YAML route parameters turn dashed option names into camel case). No "
                            + "placeholders. Authorization comes from bearerToken or "
                            + "username/password; Content-Type is application/json unless given here.")
    private String headers;

    @UriParam(label = "advanced", defaultValue = "false",
              description = "Also fail the exchange (HttpActionException, with the result event as the body) when "
                            + "the outcome is not ok, for routes that want Camel's error handling. By default a "
                            + "failed action is just a result event and the route goes on.")
    private boolean throwOnFailure;

    private UrlTemplate urlTemplate;
    private Template bodyTemplate;
    private String authorization;
    private Map<String, String> extraHeaders = Map.of();

    public HttpActionEndpoint(String uri, HttpActionComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public HttpActionComponent getComponent() {
        return (HttpActionComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new HttpActionProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("http-action is an actor: use it with to:, not from:");
    }

    /** Checks the options and compiles the templates; called when the endpoint is created. */
    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the action name is required, e.g. http-action:restart-service");
        }
        urlTemplate = UrlTemplate.compile(url);
        if (method == null || !METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("method=" + method + " is not one of GET, POST, PUT, PATCH, DELETE, "
                                               + "HEAD");
        }
        method = method.toUpperCase(Locale.ROOT);
        if (body != null && !METHODS_WITH_BODY.contains(method)) {
            throw new IllegalArgumentException("body is sent with POST, PUT or PATCH only, not with method="
                                               + method);
        }
        if (body != null) {
            bodyTemplate = Template.compile(body, Escaping.JSON);
            checkJsonStructure(body);
        }
        requireAtLeast("retries", retries, 0);
        requireAtLeast("backoff", backoff, 0);
        requireAtLeast("maxBackoff", maxBackoff, 0);
        if (backoff > maxBackoff) {
            throw new IllegalArgumentException("backoff (" + backoff + " ms) is longer than maxBackoff ("
                                               + maxBackoff + " ms)");
        }
        requireAtLeast("timeout", timeout, 1);
        requireAtLeast("breakerFailures", breakerFailures, 0);
        requireAtLeast("breakerOpenFor", breakerOpenFor, 1);
        if (deadLetterUri != null && deadLetterUri.isBlank()) {
            throw new IllegalArgumentException("deadLetterUri is empty: leave it out or name an endpoint, e.g. bus");
        }
        validateAuth();
        validateHeaders();
    }

    /**
     * Each placeholder of a JSON template renders as one complete JSON value, so the template with every placeholder
     * replaced by {@code ""} (an empty JSON string, which breaks a surrounding string) must already be JSON: a missing brace or a placeholder inside a string
     * ({@code "host-${subject}"}) is reported now rather than as a refused action per event.
     */
    private static void checkJsonStructure(String template) {
        String sample = template.replaceAll("\\$\\{[^}]*\\}", "\"\"");
        try {
            JSON_CHECK.readTree(sample);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not a JSON template: " + e.getOriginalMessage());
        }
    }

    private void validateAuth() {
        boolean hasBearer = bearerToken != null && !bearerToken.isBlank();
        boolean hasUser = username != null && !username.isBlank();
        if (hasBearer && hasUser) {
            throw new IllegalArgumentException("set bearerToken or username/password, not both");
        }
        if (password != null && !password.isEmpty() && !hasUser) {
            throw new IllegalArgumentException("password is set without username");
        }
        if (hasUser && username.contains(":")) {
            throw new IllegalArgumentException("username must not contain ':' (basic authentication separates "
                                               + "user and password with it)");
        }
        if (hasBearer && hasControlCharacter(bearerToken)) {
            throw new IllegalArgumentException("bearerToken contains a line break or control character");
        }
        authorization = HttpAuth.of(bearerToken, username, password).header();
    }

    private void validateHeaders() {
        extraHeaders = new LinkedHashMap<>();
        if (headers == null || headers.isBlank()) {
            return;
        }
        JsonNode json;
        try {
            json = JSON_CHECK.readTree(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers is not a JSON object like {\"X-Team\": \"ops\"}: "
                                               + e.getOriginalMessage());
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("headers must be a JSON object like {\"X-Team\": \"ops\"}");
        }
        for (Map.Entry<String, JsonNode> h : json.properties()) {
            String headerName = h.getKey();
            if (!headerName.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("headers: '" + headerName + "' is not a valid HTTP header name");
            }
            if (!h.getValue().isValueNode() || h.getValue().isNull()) {
                throw new IllegalArgumentException("headers: the value of " + headerName + " must be a string");
            }
            String value = h.getValue().asText();
            if (hasControlCharacter(value)) {
                throw new IllegalArgumentException("headers: the value of " + headerName + " contains a line break "
                                                   + "or control character");
            }
            if (headerName.equalsIgnoreCase("Authorization") && authorization != null) {
                throw new IllegalArgumentException("headers: Authorization cannot be combined with bearerToken or "
                                                   + "username/password");
            }
            if (headerName.equalsIgnoreCase("Host") || headerName.equalsIgnoreCase("Content-Length")
                    || headerName.equalsIgnoreCase("Transfer-Encoding")) {
                throw new IllegalArgumentException("headers: " + headerName + " is set by the HTTP client and "
                                                   + "cannot be given");
            }
            extraHeaders.put(headerName, value);
        }
    }

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static void requireAtLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", got " + value);
        }
    }

    UrlTemplate urlTemplate() {
        return urlTemplate;
    }

    Template bodyTemplate() {
        return bodyTemplate;
    }

    boolean sendsEventAsBody() {
        return bodyTemplate == null && METHODS_WITH_BODY.contains(method);
    }

    /** The headers option, parsed. */
    Map<String, String> extraHeaders() {
        return extraHeaders;
    }

    /** The Authorization header value, or null. */
    String authorization() {
        return authorization;
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

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public String getBody() {
        return body;
    }

    public void setBody(String body) {
        this.body = body;
    }

    public int getRetries() {
        return retries;
    }

    public void setRetries(int retries) {
        this.retries = retries;
    }

    public long getBackoff() {
        return backoff;
    }

    public void setBackoff(long backoff) {
        this.backoff = backoff;
    }

    public long getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(long maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public int getBreakerFailures() {
        return breakerFailures;
    }

    public void setBreakerFailures(int breakerFailures) {
        this.breakerFailures = breakerFailures;
    }

    public long getBreakerOpenFor() {
        return breakerOpenFor;
    }

    public void setBreakerOpenFor(long breakerOpenFor) {
        this.breakerOpenFor = breakerOpenFor;
    }

    public String getDeadLetterUri() {
        return deadLetterUri;
    }

    public void setDeadLetterUri(String deadLetterUri) {
        this.deadLetterUri = deadLetterUri;
    }

    public String getBearerToken() {
        return bearerToken;
    }

    public void setBearerToken(String bearerToken) {
        this.bearerToken = bearerToken;
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

    public String getHeaders() {
        return headers;
    }

    public void setHeaders(String headers) {
        this.headers = headers;
    }

    public boolean isThrowOnFailure() {
        return throwOnFailure;
    }

    public void setThrowOnFailure(boolean throwOnFailure) {
        this.throwOnFailure = throwOnFailure;
    }
}
