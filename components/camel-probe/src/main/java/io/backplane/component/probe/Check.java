package io.backplane.component.probe;

import java.util.function.Consumer;

/** One kind of active check (http, tcp, tls). Implementations hold the endpoint's settings and are thread-safe. */
interface Check {

    /**
     * Starts one check without blocking on network I/O (it may resolve a host name). {@code done} receives the
     * outcome once, on whatever thread finishes the I/O; calls after the consumer's deadline has passed are ignored.
     * Returns what aborts the check (closes its socket) when the deadline passes first.
     */
    Runnable start(ProbeRuntime runtime, Consumer<Outcome> done) throws Exception;

    /** What the check reaches, for events: the URL, or host:port. */
    String target();

    /** The default event subject: host:port (for http the URL's host, and its port when the URL names one). */
    String defaultSubject();
}
