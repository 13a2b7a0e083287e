package io.backplane.component.sshaction;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.backplane.core.action.ActionResult.Outcome;

/**
 * One SSHD client for the component and the authenticated sessions it keeps: one per address, port, user, key and
 * expected host keys, shared by every action to that host (each action is one channel of the session), reopened when
 * it was closed, and closed after {@code idleTimeout} without actions. Opening a session is serialized per host, so
 * a burst of actions to a new host makes one connection, not one each.
 * <p>
 * The client never reads ~/.ssh (no config file, no default identities, no known_hosts) and only tries public-key
 * authentication with the key the action names: what it does is fully decided by the inventory and the endpoint.
 */
final class SshSessionPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SshSessionPool.class);

    private final SshClient client;
    private final Map<Target.SessionKey, Slot> slots = new ConcurrentHashMap<>();
    private final Map<Path, LoadedKey> keys = new ConcurrentHashMap<>();
    private final AtomicInteger connectsMade = new AtomicInteger();

    /** A session shared by actions, with the lock that serializes (re)opening it. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        volatile ClientSession session;
        // changed up under the lock (so the reaper sees a lease being taken), down without it: a finishing action
        // must not wait for a reconnect in progress
        final AtomicInteger inUse = new AtomicInteger();
        volatile long lastUsedNanos = System.nanoTime();
    }

    private record LoadedKey(FileTime modified, KeyPair pair) {
    }

    /** One action's use of a session: {@link #release()} it when the channel is done. */
    final class Lease {
        private final Slot slot; // null: a session of its own (reuseConnections=false)
        private final ClientSession session;
        private boolean released;

        Lease(Slot slot, ClientSession session) {
            this.slot = slot;
            this.session = session;
        }

        ClientSession session() {
            return session;
        }

        /** Gives the session back (or closes it when it was not shared). */
        void release() {
            if (released) {
                return;
            }
            released = true;
            if (slot == null) {
                session.close(false);
                return;
            }
            slot.lastUsedNanos = System.nanoTime();
            slot.inUse.decrementAndGet();
        }

        /** Gives the session back and drops it from the pool: it turned out to be broken. */
        void discard() {
            release();
            if (slot != null) {
                slot.lock.lock();
                try {
                    if (slot.session == session) {
                        slot.session = null;
                    }
                } finally {
                    slot.lock.unlock();
                }
            }
            session.close(true);
        }
    }

    SshSessionPool() {
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(HostKeyCheck.VERIFIER);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        // small request/response exchanges on a reused session: without it each command waits ~40 ms for a
        // delayed ACK (Nagle), measured in the ssh-reuse benchmark
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                preferListedHostKeyTypes(session);
            }
        });
        client.start();
    }

    /**
     * Asks the server for a host key of a type the inventory lists. A server usually has several host keys (rsa,
     * ecdsa, ed25519) and presents the one of the first type in the client's list it also has; without this, a
     * host listed with its ed25519 key could present its ecdsa key and be refused.
     */
    private static void preferListedHostKeyTypes(Session session) {
        if (!(session instanceof ClientSession clientSession) || clientSession.getConnectionContext() == null) {
            return;
        }
        HostKeyCheck check = clientSession.getConnectionContext().getAttribute(HostKeyCheck.ATTRIBUTE);
        if (check == null || check.expected().isEmpty()) {
            return;
        }
        List<String> types = check.expected().stream().map(KeyUtils::getKeyType).toList();
        List<NamedFactory<Signature>> preferred = new ArrayList<>();
        List<NamedFactory<Signature>> others = new ArrayList<>();
        for (NamedFactory<Signature> f : session.getSignatureFactories()) {
            (signsFor(f.getName(), types) ? preferred : others).add(f);
        }
        preferred.addAll(others);
        session.setSignatureFactories(preferred);
    }

    private static boolean signsFor(String algorithm, List<String> keyTypes) {
        for (String type : keyTypes) {
            if (algorithm.equals(type)
                    || ("ssh-rsa".equals(type) && (algorithm.startsWith("rsa-sha2-") || algorithm.equals(type)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A session to {@code target}, authenticated, waiting at most until {@code deadlineNanos} overall and
     * {@code connectTimeoutMillis} for connecting and logging in.
     */
    Lease lease(Target target, boolean reuse, long deadlineNanos, long connectTimeoutMillis)
            throws ActionFailure, InterruptedException {
        if (!reuse) {
            return new Lease(null, connect(target, deadlineNanos, connectTimeoutMillis));
        }
        Slot slot = slots.computeIfAbsent(target.sessionKey(), k -> new Slot());
        if (!slot.lock.tryLock(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS)) {
            throw new ActionFailure(Outcome.TIMEOUT, "timed out waiting for another action to connect to '"
                    + target.host() + "' (" + target.where() + ")");
        }
        try {
            ClientSession session = slot.session;
            if (session == null || !session.isOpen() || !session.isAuthenticated()) {
                if (session != null) {
                    session.close(true);
                }
                slot.session = null;
                session = connect(target, deadlineNanos, connectTimeoutMillis);
                slot.session = session;
            }
            slot.inUse.incrementAndGet();
            slot.lastUsedNanos = System.nanoTime();
            return new Lease(slot, session);
        } finally {
            slot.lock.unlock();
        }
    }

    private ClientSession connect(Target target, long deadlineNanos, long connectTimeoutMillis)
            throws ActionFailure, InterruptedException {
        HostKeyCheck check = new HostKeyCheck(target.host(), target.where(), target.hostKeys(), target.inventory());
        KeyPair key = key(target);
        long remaining = remainingMillis(deadlineNanos);
        boolean boundByDeadline = remaining <= connectTimeoutMillis;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(remaining, connectTimeoutMillis));
        String what = "'" + target.host() + "' (" + target.where() + ")";
        ConnectFuture connecting;
        try {
            connecting = client.connect(target.user(), target.address(), target.port(),
                    AttributeRepository.ofKeyValuePair(HostKeyCheck.ATTRIBUTE, check), null);
            if (!connecting.await(Math.max(1, remainingMillis(until)))) {
                connecting.cancel();
                throw slow(boundByDeadline, "no connection to " + what + " within "
                        + (boundByDeadline ? "the action's timeout" : "connectTimeout=" + connectTimeoutMillis + "ms"));
            }
        } catch (IOException e) {
            throw interruptedOr(e, "cannot connect to " + what + ": " + describe(e));
        }
        if (connecting.getException() != null) {
            throw new ActionFailure(Outcome.FAILED, "cannot connect to " + what + ": "
                    + describe(connecting.getException()), connecting.getException());
        }
        ClientSession session = connecting.getClientSession();
        connectsMade.incrementAndGet();
        boolean ok = false;
        try {
            session.addPublicKeyIdentity(key);
            AuthFuture auth = session.auth();
            boolean done = auth.await(Math.max(1, remainingMillis(until)));
            if (check.rejection() != null) {
                throw new ActionFailure(Outcome.REFUSED, check.rejection());
            }
            if (!done) {
                auth.cancel();
                throw slow(boundByDeadline, "no SSH handshake and login with " + what + " within "
                        + (boundByDeadline ? "the action's timeout" : "connectTimeout=" + connectTimeoutMillis + "ms"));
            }
            if (!auth.isSuccess()) {
                Throwable cause = auth.getException();
                String fingerprint = KeyUtils.getFingerPrint(key.getPublic());
                if (cause == null || isAuthRefusal(cause)) {
                    throw new ActionFailure(Outcome.FAILED, "authentication as '" + target.user() + "' on " + what
                            + " failed: the server did not accept the private key " + target.keyFile() + " ("
                            + fingerprint + ")", cause);
                }
                throw new ActionFailure(Outcome.FAILED, "SSH handshake or login with " + what + " failed: "
                        + describe(cause), cause);
            }
            ok = true;
            LOG.debug("connected to {} as {}", what, target.user());
            return session;
        } catch (IOException e) {
            if (check.rejection() != null) {
                throw new ActionFailure(Outcome.REFUSED, check.rejection());
            }
            throw interruptedOr(e, "SSH handshake or login with " + what + " failed: " + describe(e));
        } finally {
            if (!ok) {
                session.close(true);
            }
        }
    }

    private static boolean isAuthRefusal(Throwable e) {
        String message = e.getMessage();
        return e instanceof SshException && message != null && message.contains("No more authentication methods");
    }

    private static ActionFailure slow(boolean boundByDeadline, String message) {
        return new ActionFailure(boundByDeadline ? Outcome.TIMEOUT : Outcome.FAILED, message);
    }

    private static ActionFailure interruptedOr(IOException e, String message) throws InterruptedException {
        if (e instanceof java.io.InterruptedIOException && Thread.currentThread().isInterrupted()) {
            throw new InterruptedException(message);
        }
        return new ActionFailure(Outcome.FAILED, message, e);
    }

    /** The innermost useful message: "Connection refused", not three wrappers around it. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String name = t instanceof ConnectException ? "connection refused or unreachable"
                : t instanceof NoRouteToHostException ? "no route to host"
                : t instanceof UnknownHostException ? "unknown address" : null;
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return name == null ? message : name + " (" + message + ")";
    }

    /** The private key, read once and again only when the file changes. */
    private KeyPair key(Target target) throws ActionFailure {
        Path file = target.keyFile();
        if (file == null) {
            throw new ActionFailure(Outcome.FAILED, "no private key for '" + target.host() + "': set "
                    + "ansible_ssh_private_key_file in the inventory " + target.inventory()
                    + " or the endpoint option privateKeyFile");
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            LoadedKey loaded = keys.get(file);
            if (loaded != null && loaded.modified().equals(modified)) {
                return loaded.pair();
            }
            KeyPair pair;
            try (InputStream in = Files.newInputStream(file)) {
                Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null,
                        NamedResource.ofName(file.toString()), in, null);
                Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
                if (it == null || !it.hasNext()) {
                    throw new ActionFailure(Outcome.FAILED, "private key file " + file + " holds no key");
                }
                pair = it.next();
            }
            keys.put(file, new LoadedKey(modified, pair));
            return pair;
        } catch (NoSuchFileException e) {
            throw new ActionFailure(Outcome.FAILED, "private key file " + file + " for '" + target.host()
                    + "' does not exist");
        } catch (ActionFailure e) {
            throw e;
        } catch (Exception e) {
            throw new ActionFailure(Outcome.FAILED, "cannot read private key file " + file + " for '"
                    + target.host() + "' (keys with a passphrase are not supported): " + describe(e), e);
        }
    }

    /** Closes shared sessions that no action used for {@code idleMillis}. */
    void closeIdle(long idleMillis) {
        long now = System.nanoTime();
        for (Map.Entry<Target.SessionKey, Slot> e : slots.entrySet()) {
            Slot slot = e.getValue();
            if (!slot.lock.tryLock()) {
                continue; // someone is connecting or leasing: not idle
            }
            try {
                ClientSession session = slot.session;
                // the slot itself stays in the map: removing it could race with an action that just found it
                if (session != null && slot.inUse.get() == 0 && (!session.isOpen()
                        || now - slot.lastUsedNanos > TimeUnit.MILLISECONDS.toNanos(idleMillis))) {
                    LOG.debug("closing idle SSH session to {}:{}", e.getKey().address(), e.getKey().port());
                    session.close(false);
                    slot.session = null;
                }
            } finally {
                slot.lock.unlock();
            }
        }
    }

    /** Shared sessions currently open. */
    int openSessions() {
        int n = 0;
        for (Slot slot : slots.values()) {
            ClientSession s = slot.session;
            if (s != null && s.isOpen()) {
                n++;
            }
        }
        return n;
    }

    /** SSH connections made so far (each a TCP connection, key exchange and login). */
    int connectsMade() {
        return connectsMade.get();
    }

    static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    @Override
    public void close() {
        for (Slot slot : slots.values()) {
            ClientSession s = slot.session;
            if (s != null) {
                s.close(true);
            }
        }
        slots.clear();
        client.stop();
    }
}
