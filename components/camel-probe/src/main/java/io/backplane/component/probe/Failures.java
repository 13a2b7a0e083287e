package io.backplane.component.probe;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLException;

/** Short, stable error texts for events: rules match on them, so they name the fault, not the Java class. */
final class Failures {

    private Failures() {
    }

    /** "timeout after 2s" (or "after 1500ms" when not whole seconds). */
    static String timeout(long millis) {
        return "timeout after " + duration(millis);
    }

    static String duration(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    static String describe(Throwable t, String host, long timeoutMillis) {
        t = unwrap(t);
        // the JDK HTTP client wraps the cause (ConnectException(null) around UnresolvedAddressException): look inside
        if (has(t, HttpTimeoutException.class)) {
            return timeout(timeoutMillis);
        }
        if (has(t, UnresolvedAddressException.class) || has(t, UnknownHostException.class)) {
            return "unknown host " + host;
        }
        String message = firstMessage(t);
        if (t instanceof ConnectException) {
            if (message == null || message.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
                return "connection refused";
            }
            return "cannot connect: " + message;
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host " + host;
        }
        if (t instanceof SSLException) {
            return "TLS handshake failed: " + (message == null ? t.getClass().getSimpleName() : message);
        }
        if (has(t, EOFException.class)
            || t instanceof ClosedChannelException && !(t instanceof AsynchronousCloseException)
            || message != null && (message.contains("received no bytes") || message.contains("Connection reset")
                                   || message.contains("connection closed"))) {
            return "connection closed by the server";
        }
        return message == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + message;
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The first non-empty message along the cause chain (the JDK HTTP client often wraps with a null message). */
    private static String firstMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c.getMessage();
            }
        }
        return null;
    }
}
