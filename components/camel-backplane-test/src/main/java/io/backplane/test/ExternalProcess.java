package io.backplane.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real program started by a test: output goes to a log file (shown when it fails to come up), stop kills it and
 * waits, so no process outlives its test.
 */
public class ExternalProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    public ExternalProcess(String name, List<String> command, Path workDir) {
        this.name = name;
        try {
            Files.createDirectories(workDir);
            this.log = workDir.resolve(name + ".log");
            this.process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Waits until something accepts connections on 127.0.0.1:port, or fails with the program's log. */
    public ExternalProcess awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new AssertionError(name + " did not listen on " + port + " within " + timeout + ":\n" + log());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the program has written so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
