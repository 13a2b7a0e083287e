package io.backplane.component.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

/**
 * Up when the HTTP(S) request gets an expected status and, if asked, a body containing a string or matching a
 * regular expression. Sent with the shared JDK HTTP client (sendAsync): waiting costs no thread.
 */
final class HttpCheck implements Check {

    private final URI url;
    private final String method;
    private final StatusRanges expectedStatus;
    private final String bodyContains;
    private final Pattern bodyMatches;
    private final int maxBodyBytes;
    private final boolean followRedirects;
    private final long timeoutMillis;
    private final String trustKey;
    private final Supplier<SSLContext> sslContext;

    HttpCheck(URI url, String method, StatusRanges expectedStatus, String bodyContains, Pattern bodyMatches,
              int maxBodyBytes, boolean followRedirects, long timeoutMillis, String trustKey,
              Supplier<SSLContext> sslContext) {
        this.url = url;
        this.method = method;
        this.expectedStatus = expectedStatus;
        this.bodyContains = bodyContains;
        this.bodyMatches = bodyMatches;
        this.maxBodyBytes = maxBodyBytes;
        this.followRedirects = followRedirects;
        this.timeoutMillis = timeoutMillis;
        this.trustKey = trustKey;
        this.sslContext = sslContext;
    }

    @Override
    public Runnable start(ProbeRuntime runtime, Consumer<Outcome> done) {
        HttpClient client = runtime.httpClient(trustKey, sslContext, followRedirects);
        HttpRequest request = HttpRequest.newBuilder(url)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofMillis(timeoutMillis))
                .header("User-Agent", "Backplane-probe")
                .build();
        CompletableFuture<HttpResponse<byte[]>> response
                = client.sendAsync(request, info -> new BoundedBody(maxBodyBytes));
        runtime.track(response);
        response.whenComplete((r, e) -> done.accept(e != null
                ? Outcome.fail(Failures.describe(e, url.getHost(), timeoutMillis)) : evaluate(r)));
        return () -> response.cancel(true);
    }

    private Outcome evaluate(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Long daysLeft = response.sslSession().map(HttpCheck::daysLeft).orElse(null);
        if (!expectedStatus.matches(status)) {
            return Outcome.fail("status " + status + ", expected " + expectedStatus, status, daysLeft);
        }
        if (bodyContains != null || bodyMatches != null) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (bodyContains != null && !body.contains(bodyContains)) {
                return Outcome.fail("body does not contain '" + bodyContains + "'", status, daysLeft);
            }
            if (bodyMatches != null && !bodyMatches.matcher(body).find()) {
                return Outcome.fail("body does not match '" + bodyMatches.pattern() + "'", status, daysLeft);
            }
        }
        return Outcome.ok(status, daysLeft);
    }

    private static Long daysLeft(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return TlsCheck.daysLeft((X509Certificate) chain[0], System.currentTimeMillis());
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public String target() {
        return url.toString();
    }

    @Override
    public String defaultSubject() {
        return url.getPort() < 0 ? url.getHost() : TcpCheck.hostPort(url.getHost(), url.getPort());
    }
}
