package io.backplane.component.sshaction;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.Events;
import io.backplane.core.action.ActionResult;
import io.backplane.core.action.ActionResult.Outcome;
import io.backplane.core.template.TemplateException;
import io.backplane.inventory.Host;
import io.backplane.inventory.Inventory;
import io.backplane.inventory.InventoryException;

/**
 * Runs one command per exchange and replaces the body with its result event. The steps, each of which can end the
 * action with a result (and none of which throws unless {@code failOnError=true}):
 * <ol>
 * <li>render the host and command templates from the triggering event (a missing value: {@code refused});</li>
 * <li>look the host up in the inventory (not there: {@code failed}, nothing connects);</li>
 * <li>take one of the host's {@code maxPerHost} slots (waiting counts toward {@code timeout});</li>
 * <li>get the host's shared session, or connect: host key checked against the inventory ({@code refused}), key
 * login ({@code failed});</li>
 * <li>run the command on a new channel, capture bounded stdout/stderr and the exit code ({@code ok} or
 * {@code failed}); past the deadline, kill it ({@code timeout}).</li>
 * </ol>
 * The calling thread waits for the command: Camel's route threads (or the caller of a ProducerTemplate) give the
 * parallelism, bounded per host by {@code maxPerHost}.
 */
public class SshActionProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(SshActionProducer.class);
    static final String ACTOR = "ssh";
    // room for the "[truncated: N more bytes]" marker after maxOutput bytes of output
    private static final int MARKER_ROOM = 64;
    // how long a killed command may take to report its end
    private static final long KILL_GRACE_MILLIS = 2000;

    private final SshActionEndpoint endpoint;
    private volatile String inventoryPath;

    /** How a command ended: an exit code, or the signal that killed it. */
    private record Exit(Integer code, String signal) {
    }

    public SshActionProducer(SshActionEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public SshActionEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String path = endpoint.getComponent().inventoryPath(endpoint.getInventory());
        if (path == null) {
            throw new IllegalArgumentException("ssh-action:" + endpoint.getName() + " needs an inventory: set the "
                    + "endpoint option inventory, the component option inventory or the application property "
                    + SshActionComponent.INVENTORY_PROPERTY);
        }
        endpoint.getComponent().inventory(path); // a missing or broken inventory stops the route from starting
        inventoryPath = path;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Event cause;
        String bodyError = null;
        try {
            cause = Events.fromExchange(exchange, EventCodec.defaults(), null);
        } catch (RuntimeException e) {
            cause = null;
            bodyError = "the message body is not an event: " + e.getMessage();
        }
        Event result = act(cause, bodyError);
        Message message = exchange.getMessage();
        Events.toMessage(result, message);
        String outcome = (String) result.data().get("outcome");
        message.setHeader(SshActionConstants.OUTCOME, outcome);
        Object exitCode = result.data().get("exitCode");
        if (exitCode != null) {
            message.setHeader(SshActionConstants.EXIT_CODE, exitCode);
        } else {
            message.removeHeader(SshActionConstants.EXIT_CODE);
        }
        if (endpoint.isFailOnError() && !Outcome.OK.segment().equals(outcome)) {
            throw new SshActionException("ssh-action:" + endpoint.getName() + " " + outcome + ": "
                    + result.data().get("error"), exchange, result);
        }
    }

    /** Runs the action for {@code cause} and returns its result event. */
    Event act(Event cause, String bodyError) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(endpoint.getTimeout());
        int maxOutput = endpoint.getMaxOutput();
        ActionResult result = ActionResult.start(ACTOR, endpoint.getName(), cause)
                .maxOutput(Math.max(maxOutput, 4096) + MARKER_ROOM);
        BoundedOutput out = new BoundedOutput(maxOutput);
        BoundedOutput err = new BoundedOutput(maxOutput);
        String hostName = null;
        String command = null;
        Target target = null;
        Exit exit = null;
        Outcome outcome;
        String error;
        try {
            if (cause == null) {
                throw new ActionFailure(Outcome.REFUSED, bodyError);
            }
            try {
                hostName = endpoint.hostTemplate().render(cause);
            } catch (TemplateException e) {
                throw new ActionFailure(Outcome.REFUSED, "host: " + e.getMessage());
            }
            try {
                command = endpoint.commandTemplate().render(cause);
            } catch (TemplateException e) {
                throw new ActionFailure(Outcome.REFUSED, "command: " + e.getMessage());
            }
            target = target(hostName);
            Semaphore slots = endpoint.slots(target.host());
            if (!slots.tryAcquire(SshSessionPool.remainingMillis(deadline), TimeUnit.MILLISECONDS)) {
                throw new ActionFailure(Outcome.TIMEOUT, "all " + endpoint.getMaxPerHost() + " slots (maxPerHost) for '"
                        + target.host() + "' stayed busy for the whole timeout=" + endpoint.getTimeout() + "ms");
            }
            try {
                exit = run(target, command, deadline, out, err);
            } finally {
                slots.release();
            }
            if (exit.code() != null && exit.code() == 0) {
                outcome = Outcome.OK;
                error = null;
            } else {
                outcome = Outcome.FAILED;
                error = exit.code() != null ? "exit code " + exit.code()
                        : exit.signal() != null ? "killed by signal " + exit.signal()
                        : "the command ended without an exit code";
            }
        } catch (ActionFailure f) {
            outcome = f.outcome();
            error = f.getMessage();
        }
        LOG.debug("ssh-action:{} on {}: {} {}", endpoint.getName(), hostName, outcome.segment(),
                error == null ? "" : error);
        result.subject(target != null ? target.host() : hostName);
        result.put("host", target != null ? target.host() : hostName);
        result.put("address", target != null ? target.address() : null);
        result.put("port", target != null ? target.port() : null);
        result.put("user", target != null ? target.user() : null);
        result.put("command", command);
        result.put("exitCode", exit == null ? null : exit.code());
        result.put("stdout", out.text());
        result.put("stderr", err.text());
        result.put("stdoutTruncated", out.truncated());
        result.put("stderrTruncated", err.truncated());
        result.put("stdoutBytes", out.total());
        result.put("stderrBytes", err.total());
        return result.finish(outcome, error);
    }

    /** The inventory host named {@code hostName}, with the login to use for it. */
    private Target target(String hostName) throws ActionFailure {
        Inventory inventory;
        Host host;
        try {
            inventory = endpoint.getComponent().inventory(inventoryPath);
            host = inventory.host(hostName);
        } catch (InventoryException e) {
            throw new ActionFailure(Outcome.FAILED, e.getMessage() + "; nothing was run");
        }
        String user = host.user() != null ? host.user()
                : endpoint.getUser() != null ? endpoint.getUser() : System.getProperty("user.name");
        String keyFile = host.keyFile() != null ? host.keyFile() : endpoint.getPrivateKeyFile();
        return new Target(host.name(), host.address(), host.port(), user, keyFile == null ? null : path(keyFile),
                host.hostKeys(), inventory.origin());
    }

    /** A key file path; {@code ~/} means the home directory, as in Ansible inventories. */
    private static Path path(String file) {
        String f = file.trim();
        if (f.equals("~") || f.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), f.substring(1));
        }
        return Path.of(f);
    }

    private Exit run(Target target, String command, long deadline, OutputStream out, OutputStream err)
            throws ActionFailure, InterruptedException {
        SshSessionPool pool = endpoint.getComponent().pool();
        boolean reuse = endpoint.isReuseConnections();
        SshSessionPool.Lease lease = pool.lease(target, reuse, deadline, endpoint.getConnectTimeout());
        try {
            ChannelExec channel;
            try {
                channel = open(lease.session(), command, deadline, out, err, target);
            } catch (IOException | IllegalStateException e) {
                ClientSession session = lease.session();
                if (!reuse || (session.isOpen() && !session.isClosing())) {
                    // a live session refused the channel (e.g. OpenSSH's MaxSessions): other actions still use it
                    throw channelFailure(target, e);
                }
                // the shared session died since its last use (server restarted, network cut): connect once more
                LOG.debug("shared session to {} unusable ({}), reconnecting", target.where(), e.getMessage());
                lease.discard();
                lease = pool.lease(target, true, deadline, endpoint.getConnectTimeout());
                try {
                    channel = open(lease.session(), command, deadline, out, err, target);
                } catch (IOException | IllegalStateException again) {
                    throw channelFailure(target, again);
                }
            }
            try {
                Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
                        waitMillis(deadline));
                if (!events.contains(ClientChannelEvent.CLOSED)) {
                    String how = kill(channel);
                    throw new ActionFailure(Outcome.TIMEOUT, "the command did not finish within timeout="
                            + endpoint.getTimeout() + "ms on '" + target.host() + "': " + how);
                }
                return new Exit(channel.getExitStatus(), channel.getExitSignal());
            } finally {
                channel.close(false);
            }
        } finally {
            lease.release();
        }
    }

    private ChannelExec open(ClientSession session, String command, long deadline, OutputStream out,
                             OutputStream err, Target target) throws IOException, ActionFailure {
        ChannelExec channel = session.createExecChannel(command);
        channel.setOut(out);
        channel.setErr(err);
        if (endpoint.isUsePty()) {
            channel.setUsePty(true);
            // no echo of (absent) input, and "\n" stays "\n" in the output
            channel.setPtyModes(Map.of(PtyMode.ECHO, 0, PtyMode.ONLCR, 0));
        }
        OpenFuture opening = channel.open();
        if (!opening.await(waitMillis(deadline))) {
            channel.close(true);
            throw new ActionFailure(Outcome.TIMEOUT, "no command channel on '" + target.host() + "' within timeout="
                    + endpoint.getTimeout() + "ms");
        }
        if (!opening.isOpened()) {
            channel.close(true);
            Throwable cause = opening.getException();
            throw new IOException(cause == null ? "channel not opened" : SshSessionPool.describe(cause), cause);
        }
        // no input: EOF at once, so a command that reads stdin ends instead of waiting for the timeout
        OutputStream stdin = channel.getInvertedIn();
        if (stdin != null) {
            try {
                stdin.close();
            } catch (IOException e) {
                LOG.debug("cannot send EOF to {}: {}", target.where(), e.getMessage());
            }
        }
        return channel;
    }

    private static ActionFailure channelFailure(Target target, Exception e) {
        return new ActionFailure(Outcome.FAILED, "cannot start the command on '" + target.host() + "' ("
                + target.where() + "): " + SshSessionPool.describe(e) + " (a server may limit the commands per "
                + "connection: OpenSSH's MaxSessions, 10 by default)", e);
    }

    /**
     * Kills a command that ran out of time and says how that went. Closing the channel alone does not kill it:
     * OpenSSH leaves a command without a terminal running. So first the "signal" request: sshd sends SIGKILL to
     * the command's whole process group (children included) and reports the exit. OpenSSH refuses that request on
     * root logins (no privilege separation after login): if no exit is reported within a grace period, the result
     * says the command may still run. With {@code usePty=true} the channel has a terminal, and closing it hangs up
     * the command's process group whatever the server does with signals.
     */
    private String kill(ChannelExec channel) {
        try {
            Buffer buffer = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            buffer.putUInt(channel.getRecipient());
            buffer.putString("signal");
            buffer.putBoolean(false);
            buffer.putString("KILL");
            channel.writePacket(buffer);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot send the kill signal: {}", e.getMessage());
        }
        if (endpoint.isUsePty()) {
            channel.close(false);
            return "it was sent SIGKILL and its terminal was closed (hangup)";
        }
        Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED,
                ClientChannelEvent.EXIT_SIGNAL, ClientChannelEvent.EXIT_STATUS), KILL_GRACE_MILLIS);
        channel.close(false);
        if (events.contains(ClientChannelEvent.EXIT_SIGNAL) || events.contains(ClientChannelEvent.EXIT_STATUS)) {
            return "it was killed (SIGKILL)";
        }
        return "it was sent SIGKILL but the server did not report its end within " + KILL_GRACE_MILLIS + "ms "
                + "(OpenSSH ignores signals on root logins; use a non-root user or usePty=true), so it may still "
                + "be running; its channel was closed";
    }

    /** Milliseconds left until the deadline, at least 1 (SSHD and Object.wait read 0 as "forever"). */
    private static long waitMillis(long deadline) {
        return Math.max(1, SshSessionPool.remainingMillis(deadline));
    }
}
