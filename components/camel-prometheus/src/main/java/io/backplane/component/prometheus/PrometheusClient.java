package io.backplane.component.prometheus;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One endpoint's view of the Prometheus HTTP API: builds the instant query request ({@code /api/v1/query}) and turns
 * the answer, or the failure to get one, into samples or a {@link PrometheusQueryException} with a message an
 * operator can act on.
 */
final class PrometheusClient {

    /** One series of the result: its labels (empty for a scalar), its value and the evaluation time. */
    record Sample(Map<String, String> labels, double value, String valueText, double timestamp) {
    }

    record Result(String resultType, List<Sample> samples) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SNIPPET = 200;

    private final String baseUrl;
    private final URI queryUri;
    private final String method;
    private final String query;
    private final String authorization;
    private final Duration timeout;

    PrometheusClient(String baseUrl, String method, String query, String authorization, Duration timeout) {
        this.baseUrl = baseUrl;
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.queryUri = URI.create(trimmed + "/api/v1/query");
        this.method = method;
        this.query = query;
        this.authorization = authorization;
        this.timeout = timeout;
    }

    URI queryUri() {
        return queryUri;
    }

    /** Sends the query; the future completes with the raw answer, or exceptionally (see {@link #failure}). */
    CompletableFuture<HttpResponse<byte[]>> send(HttpClient client) {
        String form = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        HttpRequest.Builder request;
        if ("POST".equals(method)) {
            // POST keeps long queries out of URLs (and out of access logs)
            request = HttpRequest.newBuilder(queryUri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            request = HttpRequest.newBuilder(URI.create(queryUri + "?" + form)).GET();
        }
        request.timeout(timeout).header("Accept", "application/json").header("User-Agent", "backplane-prometheus");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Why the request got no answer at all, in words (never the credentials). */
    PrometheusQueryException failure(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
               && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new PrometheusQueryException("cannot connect to Prometheus at " + baseUrl + ": connect timed out "
                                                + "after " + timeout.toMillis() + " ms", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new PrometheusQueryException("no answer from Prometheus at " + baseUrl + " within "
                                                + timeout.toMillis() + " ms (option timeout)", cause);
        }
        if (cause instanceof ConnectException) {
            return new PrometheusQueryException("cannot connect to Prometheus at " + baseUrl + ": "
                                                + (cause.getMessage() == null ? "connection refused"
                                                        : cause.getMessage()),
                                                cause);
        }
        return new PrometheusQueryException("request to Prometheus at " + baseUrl + " failed: " + cause, cause);
    }

    /** Reads an answer: the samples of a vector or scalar result, or the reason there are none. */
    Result parse(HttpResponse<byte[]> response, boolean authConfigured) throws PrometheusQueryException {
        int status = response.statusCode();
        byte[] body = response.body();
        JsonNode root = readJson(body);
        if (root != null && "error".equals(root.path("status").asText())) {
            // Prometheus' own error format: 400 bad_data for a bad query, 422 execution, 503 timeout, ...
            throw new PrometheusQueryException("Prometheus at " + baseUrl + " rejected the query ("
                                               + root.path("errorType").asText("unknown error type") + ", HTTP "
                                               + status + "): " + root.path("error").asText("(no message)"));
        }
        if (status == 401 || status == 403) {
            throw new PrometheusQueryException("Prometheus at " + baseUrl + " answered HTTP " + status + ": "
                                               + (authConfigured ? "the configured credentials were refused"
                                                       : "it requires credentials (set token, or username and "
                                                         + "password)"));
        }
        if (status >= 300 && status < 400) {
            throw new PrometheusQueryException("Prometheus at " + baseUrl + " answered HTTP " + status
                                               + " (redirect to " + response.headers().firstValue("Location")
                                                       .orElse("?")
                                               + "): set url to the address Prometheus answers on");
        }
        if (status < 200 || status >= 300) {
            throw new PrometheusQueryException("Prometheus at " + baseUrl + " answered HTTP " + status + ": "
                                               + snippet(body));
        }
        if (root == null || !root.isObject()) {
            throw new PrometheusQueryException("the answer of " + queryUri + " is not Prometheus API JSON: "
                                               + snippet(body));
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new PrometheusQueryException("the answer of " + queryUri + " has status '"
                                               + root.path("status").asText() + "', not 'success': "
                                               + snippet(body));
        }
        JsonNode data = root.path("data");
        String resultType = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        switch (resultType) {
            case "vector":
                return new Result(resultType, vector(result));
            case "scalar":
                return new Result(resultType, List.of(sample(Map.of(), result, "the scalar result")));
            case "matrix":
                throw new PrometheusQueryException("the query returned a range vector (resultType matrix), which has "
                                                   + "no single value per series: use an instant vector, e.g. drop "
                                                   + "the [range] selector or wrap it in rate(), max_over_time(), ...");
            case "string":
                throw new PrometheusQueryException("the query returned a string (resultType string): it must return "
                                                   + "an instant vector or a scalar");
            default:
                throw new PrometheusQueryException("the answer of " + queryUri + " has an unknown resultType '"
                                                   + resultType + "': " + snippet(body));
        }
    }

    private List<Sample> vector(JsonNode result) throws PrometheusQueryException {
        if (!result.isArray()) {
            throw new PrometheusQueryException("the answer of " + queryUri + " has no result array");
        }
        List<Sample> samples = new ArrayList<>(result.size());
        for (JsonNode series : result) {
            Map<String, String> labels = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = series.path("metric").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                labels.put(f.getKey(), f.getValue().asText());
            }
            labels = Collections.unmodifiableMap(labels);
            if (!series.has("value") && series.has("histogram")) {
                throw new PrometheusQueryException("series " + labels + " is a native histogram, not a number: "
                                                   + "query a float, e.g. with histogram_quantile() or "
                                                   + "histogram_count()");
            }
            samples.add(sample(labels, series.path("value"), "series " + labels));
        }
        return samples;
    }

    /** A [unix seconds, "value"] pair. */
    private Sample sample(Map<String, String> labels, JsonNode pair, String what) throws PrometheusQueryException {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber() || !pair.get(1).isTextual()) {
            throw new PrometheusQueryException("the answer of " + queryUri + " has no [time, \"value\"] pair for "
                                               + what);
        }
        String text = pair.get(1).asText();
        double value;
        try {
            value = parseValue(text);
        } catch (NumberFormatException e) {
            throw new PrometheusQueryException("the answer of " + queryUri + " has a value that is not a number for "
                                               + what + ": " + text);
        }
        return new Sample(labels, value, text, pair.get(0).asDouble());
    }

    /** Prometheus writes floats with Go's strconv: NaN, +Inf and -Inf are spelled its way. */
    static double parseValue(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(text);
        }
    }

    private static JsonNode readJson(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException notJson) {
            return null; // the caller reports the body as it is
        }
    }

    /** The start of a body, on one line, for an error message. */
    static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String text = new String(body, 0, Math.min(body.length, SNIPPET * 4), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < SNIPPET; i++) {
            char c = text.charAt(i);
            out.append(c < ' ' ? ' ' : c);
        }
        String s = out.toString().trim();
        return text.length() > SNIPPET || body.length > SNIPPET * 4 ? s + "..." : s;
    }
}
