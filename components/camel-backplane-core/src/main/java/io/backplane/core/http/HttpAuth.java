package io.backplane.core.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP credentials in one place: the check a receiving endpoint makes on {@code Authorization} (a bearer token or
 * basic user/password, compared in constant time) and the header a polling client sends. An instance with neither
 * configured accepts everything ({@link #isOpen()}), so callers can log that they run without authentication.
 */
public final class HttpAuth {

    private static final HttpAuth OPEN = new HttpAuth(null, null);

    private final byte[] bearer;
    private final byte[] basic; // "user:password" as sent, before Base64

    private HttpAuth(String bearerToken, String userAndPassword) {
        this.bearer = bytesOrNull(bearerToken);
        this.basic = bytesOrNull(userAndPassword);
    }

    /** No authentication. */
    public static HttpAuth open() {
        return OPEN;
    }

    /** A bearer token, or basic credentials, or both (either is accepted); blank values mean "not configured". */
    public static HttpAuth of(String bearerToken, String username, String password) {
        String userAndPassword = username == null || username.isBlank()
                ? null : username + ":" + (password == null ? "" : password);
        return new HttpAuth(bearerToken, userAndPassword);
    }

    public boolean isOpen() {
        return bearer == null && basic == null;
    }

    /** True when the request's {@code Authorization} header carries the configured token or user/password. */
    public boolean accepts(String authorization) {
        if (isOpen()) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        if (bearer != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return MessageDigest.isEqual(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8), bearer);
        }
        if (basic != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            byte[] given;
            try {
                given = Base64.getDecoder().decode(authorization.substring(6).trim());
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
            return MessageDigest.isEqual(given, basic);
        }
        return false;
    }

    /** Why a request was refused, without echoing what it sent. */
    public String refusal(String authorization) {
        return authorization == null ? "missing Authorization header" : "wrong credentials";
    }

    /** The {@code WWW-Authenticate} challenge for a 401. */
    public String challenge() {
        return bearer != null ? "Bearer realm=\"backplane\"" : "Basic realm=\"backplane\"";
    }

    /** The {@code Authorization} header value a client sends with these credentials, or null when open. */
    public String header() {
        if (bearer != null) {
            return "Bearer " + new String(bearer, StandardCharsets.UTF_8);
        }
        if (basic != null) {
            return "Basic " + Base64.getEncoder().encodeToString(basic);
        }
        return null;
    }

    private static byte[] bytesOrNull(String s) {
        return s == null || s.isBlank() ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
