package io.backplane.test;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server program a test started on 127.0.0.1 and a run-time port, with its own folder: what Prometheus and
 * Alertmanager launchers share (address, log, stop).
 */
abstract class LoopbackServer implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    final ExternalProcess process;
    private final int port;
    private final Path dir;

    LoopbackServer(ExternalProcess process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Waits for {@code /-/ready} to answer 200; on failure stops the process before rethrowing. */
    <S extends LoopbackServer> S awaitReady(String name) {
        try {
            PrometheusServer.Http.awaitReady(process, name, url() + "/-/ready", START_TIMEOUT);
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
        @SuppressWarnings("unchecked")
        S self = (S) this;
        return self;
    }

    /** The base address, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}: a scrape target, or what PrometheusServer.start takes as an Alertmanager. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** The folder holding this server's configuration, data and log. */
    public Path dir() {
        return dir;
    }

    public String log() {
        return process.log();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.close();
    }
}
