package io.backplane.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An Apache MINA SSHD server in the benchmark's JVM on 127.0.0.1: ed25519 host key, one authorized ed25519 client
 * key, and a command that answers "ok" and exits 0 at once without starting a process, so what is measured is the
 * SSH cost (TCP, key exchange, login, channel) and the actor, not a fork. Writes the key file and the inventory
 * (host "bench") the ssh-action endpoints read.
 */
final class SshBenchServer implements AutoCloseable {

    static final String HOST = "bench";

    private final SshServer server;
    private final Path dir;
    private final Path inventory;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger commands = new AtomicInteger();

    SshBenchServer() throws Exception {
        dir = Files.createTempDirectory("backplane-bench-ssh");
        KeyPair hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        KeyPair clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        Path keyFile = dir.resolve("id_ed25519");
        try (OutputStream out = Files.newOutputStream(keyFile)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "bench", null, out);
        }
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        // answer at once: without it Nagle's algorithm holds small SSH packets back for the peer's delayed ACK
        CoreModuleProperties.TCP_NODELAY.set(server, true);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory((channel, command) -> new Ok());
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        server.start();
        inventory = dir.resolve("inventory.yaml");
        Files.writeString(inventory, "all:\n  hosts:\n    " + HOST + ":\n"
                + "      ansible_host: 127.0.0.1\n"
                + "      ansible_port: " + server.getPort() + "\n"
                + "      ansible_user: bench\n"
                + "      ansible_ssh_private_key_file: " + keyFile + "\n"
                + "      backplane_host_keys: \"" + PublicKeyEntry.toString(hostKey.getPublic()) + "\"\n");
    }

    Path inventory() {
        return inventory;
    }

    /** SSH connections the server accepted so far. */
    int sessions() {
        return sessions.get();
    }

    /** Commands run so far. */
    int commands() {
        return commands.get();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Writes "ok" and exits 0 as soon as it starts. */
    private final class Ok implements Command {
        private OutputStream out;
        private ExitCallback exit;

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            commands.incrementAndGet();
            out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            exit.onExit(0);
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }
}
