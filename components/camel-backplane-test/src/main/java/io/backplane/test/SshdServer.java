package io.backplane.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A real OpenSSH server (Debian {@code openssh-server}) for system tests: its own sshd on 127.0.0.1 and a run-time
 * port, a fresh ed25519 host key, and one authorized client key, all in a temporary directory; it runs as the
 * current user, so commands run as that user. {@link #hostKeyLine()} is what an inventory lists as the host key.
 */
public final class SshdServer implements AutoCloseable {

    private final ExternalProcess process;
    private final int port;
    private final Path dir;
    private final String hostKeyLine;

    private SshdServer(ExternalProcess process, int port, Path dir, String hostKeyLine) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.hostKeyLine = hostKeyLine;
    }

    /** Starts sshd in {@code dir}, letting in whoever holds the private key of {@link #clientKey()}. */
    public static SshdServer start(Path dir) {
        Path sshd = Binaries.require("sshd");
        Binaries.require("ssh-keygen");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Path hostKey = dir.resolve("ssh_host_ed25519_key");
            Path clientKey = dir.resolve("id_ed25519");
            keygen(hostKey);
            keygen(clientKey);
            Path authorized = dir.resolve("authorized_keys");
            Files.copy(dir.resolve("id_ed25519.pub"), authorized);
            Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
            // sshd refuses to start without its privilege-separation directory
            Files.createDirectories(Path.of("/run/sshd"));
            int port = Ports.free();
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "ListenAddress 127.0.0.1",
                    "Port " + port,
                    "HostKey " + hostKey,
                    "PidFile " + dir.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + authorized,
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "StrictModes no",
                    "PermitRootLogin prohibit-password",
                    "MaxSessions 50",
                    "MaxStartups 50:30:100",
                    "LogLevel INFO",
                    "Subsystem sftp internal-sftp",
                    ""));
            String hostKeyLine = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).trim()
                    .replaceAll("^(\\S+ \\S+).*", "$1");
            ExternalProcess process = new ExternalProcess("sshd",
                    List.of(sshd.toString(), "-D", "-e", "-f", config.toString()), dir);
            process.awaitPort(port, Duration.ofSeconds(20));
            return new SshdServer(process, port, dir, hostKeyLine);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare sshd in " + dir, e);
        }
    }

    private static void keygen(Path key) throws IOException {
        try {
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "backplane-test",
                    "-f", key.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new AssertionError("ssh-keygen failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public int port() {
        return port;
    }

    /** The server's public host key as {@code "ssh-ed25519 AAAA..."}: what an inventory's host-key entry holds. */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    /** The authorized client's private key file (OpenSSH format, no passphrase). */
    public Path clientKey() {
        return dir.resolve("id_ed25519");
    }

    public String user() {
        return System.getProperty("user.name");
    }

    /** What sshd has logged (authentication failures show up here). */
    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
