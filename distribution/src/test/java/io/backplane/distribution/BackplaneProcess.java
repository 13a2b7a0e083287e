package io.backplane.distribution;

import io.backplane.test.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs Backplane as a separate process, the way a user does (java -jar or bin/backplane), on ports chosen at run
 * time, and collects what it prints. Shared by the distribution's and the examples' tests (test-jar).
 */
public final class BackplaneProcess implements AutoCloseable {

    public final int httpPort = freePort();
    public final int publishPort = freePort();
    public final int subscribePort = freePort();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process process;
    private Thread reader;

    /** The shaded jar built by this module (set by failsafe/surefire as backplane.jar). */
    public static Path jar() {
        String jar = System.getProperty("backplane.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the distribution jar is missing (" + jar + "): build distribution/ first");
        }
        return Path.of(jar);
    }

    public static int freePort() {
        return Ports.free();
    }

    /** The -D settings that put this instance on its own ports. */
    public List<String> portSettings() {
        return List.of("-Dbackplane.http.port=" + httpPort,
                "-Dbackplane.bus.zeromq.publish-port=" + publishPort,
                "-Dbackplane.bus.zeromq.subscribe-port=" + subscribePort);
    }

    /** Starts {@code java [settings] -jar backplane.jar} in the directory and waits until it says it started. */
    public BackplaneProcess startJar(Path workDir, String... settings) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.addAll(portSettings());
        cmd.addAll(List.of(settings));
        cmd.add("-jar");
        cmd.add(jar().toString());
        return start(workDir, cmd);
    }

    /** Starts an arbitrary command line (e.g. bin/backplane from the tar.gz) and waits until it started. */
    public BackplaneProcess start(Path workDir, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        process = pb.start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                // process ended
            }
        }, "backplane-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (output.stream().anyMatch(l -> l.contains("Backplane started in"))) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Backplane exited with " + process.exitValue() + ":\n" + output());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Backplane did not start within 60 s:\n" + output());
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String output() {
        return String.join("\n", output);
    }

    public Process process() {
        return process;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", contentType).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code java -jar backplane.jar ARGS} to completion; returns exit code and output. */
    public static CommandResult runJar(Path workDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("command did not finish: " + cmd);
        }
        return new CommandResult(p.exitValue(), out);
    }

    public record CommandResult(int exitCode, String output) {
    }

    /** Stops it the way Ctrl-C does (a signal that runs the JVM's shutdown hooks) and waits. */
    public int stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? -1 : process.exitValue();
        }
        // SIGTERM runs the same JVM shutdown hook as Ctrl-C's SIGINT. Through the handle, not Process.destroy(),
        // which would also close our end of its output and lose what it prints while stopping.
        process.toHandle().destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException("Backplane did not stop within 20 s:\n" + output());
        }
        reader.join(5000); // everything it printed up to its exit
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
