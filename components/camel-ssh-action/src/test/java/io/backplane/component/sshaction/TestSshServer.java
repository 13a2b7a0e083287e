package io.backplane.component.sshaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * An Apache MINA SSHD server in the test's JVM, on 127.0.0.1 and a run-time port: commands really run through
 * {@code /bin/sh -c} on this machine (MINA's ProcessShellCommandFactory splits the command into words and runs it
 * without a shell, which would make the injection tests prove nothing), only the generated client key may log in,
 * and it counts sessions and concurrently running commands so tests can check reuse and the per-host limit.
 */
final class TestSshServer implements AutoCloseable {

    private final SshServer server;
    private final KeyPair hostKey;
    private final KeyPair otherHostKey;
    private final Path clientKeyFile;
    private final Path strangerKeyFile;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private volatile int channelLimit = Integer.MAX_VALUE;

    private TestSshServer(Path parent, boolean twoHostKeys) throws Exception {
        Path dir = Files.createTempDirectory(parent, "sshd"); // several servers may share a test's directory
        hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        otherHostKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        KeyPair clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        clientKeyFile = writeKey(dir.resolve("client_ed25519"), clientKey);
        strangerKeyFile = writeKey(dir.resolve("stranger_ed25519"),
                KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256));
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(twoHostKeys ? KeyPairProvider.wrap(otherHostKey, hostKey) : KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory((channel, command) ->
                new Counted(new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel)));
        server.setChannelFactories(List.of(new ChannelFactory() {
            @Override
            public String getName() {
                return ChannelSessionFactory.INSTANCE.getName();
            }

            @Override
            public Channel createChannel(Session session) throws IOException {
                // null makes MINA answer "open failed"
                return running.get() >= channelLimit ? null : ChannelSessionFactory.INSTANCE.createChannel(session);
            }
        }));
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        server.start();
    }

    static TestSshServer start(Path dir) throws Exception {
        return new TestSshServer(dir, false);
    }

    /** A server with an ecdsa and an ed25519 host key (in that order of preference). */
    static TestSshServer startWithTwoHostKeys(Path dir) throws Exception {
        return new TestSshServer(dir, true);
    }

    private static Path writeKey(Path file, KeyPair key) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", null, out);
        }
        return file;
    }

    int port() {
        return server.getPort();
    }

    /** The ed25519 host key as an inventory lists it: "ssh-ed25519 AAAA...". */
    String hostKeyLine() {
        return PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** The ecdsa host key line (only presented by {@link #startWithTwoHostKeys}). */
    String otherHostKeyLine() {
        return PublicKeyEntry.toString(otherHostKey.getPublic());
    }

    String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey.getPublic());
    }

    Path clientKeyFile() {
        return clientKeyFile;
    }

    /** A valid key the server does not accept. */
    Path strangerKeyFile() {
        return strangerKeyFile;
    }

    /** SSH sessions (TCP connections) the server accepted so far. */
    int sessionsCreated() {
        return sessions.get();
    }

    /** The most commands that ran at the same time. */
    int maxConcurrentCommands() {
        return maxRunning.get();
    }

    /**
     * Refuses new command channels (with an open failure, the connection stays up) while {@code max} commands run, as
     * OpenSSH does past MaxSessions. (MINA's own channel limit closes the whole connection instead.)
     */
    void refuseChannelsBeyond(int max) {
        channelLimit = max;
    }

    /** Closes every connection, as a restarted server would. */
    void dropConnections() {
        List<org.apache.sshd.server.session.AbstractServerSession> open = server.getActiveSessions().stream()
                .map(s -> (org.apache.sshd.server.session.AbstractServerSession) s).toList();
        open.forEach(s -> s.close(true));
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** Counts the commands running at once: started, until they report their exit. */
    private final class Counted implements Command {
        private final Command delegate;

        Counted(Command delegate) {
            this.delegate = delegate;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            delegate.setExitCallback(new ExitCallback() {
                @Override
                public void onExit(int exitValue, String exitMessage, boolean closeImmediately) {
                    running.decrementAndGet();
                    callback.onExit(exitValue, exitMessage, closeImmediately);
                }
            });
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            delegate.start(channel, env);
        }

        @Override
        public void destroy(ChannelSession channel) throws Exception {
            delegate.destroy(channel);
        }

        @Override
        public void setInputStream(InputStream in) {
            delegate.setInputStream(in);
        }

        @Override
        public void setOutputStream(OutputStream out) {
            delegate.setOutputStream(out);
        }

        @Override
        public void setErrorStream(OutputStream err) {
            delegate.setErrorStream(err);
        }
    }
}
