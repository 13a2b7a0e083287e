package io.backplane.component.zeromq;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Send and receive messages over ZeroMQ sockets (PUB/SUB, PUSH/PULL, XPUB/XSUB, REQ/REP), optionally encrypted and
 * authenticated with CURVE.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "zeromq", title = "ZeroMQ", syntax = "zeromq:address",
             category = { Category.MESSAGING }, headersClass = ZeroMQConstants.class)
public class ZeroMQEndpoint extends DefaultEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ZeroMQEndpoint.class);
    private static final long PORT_RELEASE_TIMEOUT_MILLIS = 2000;

    @UriPath(description = "The ZeroMQ address to bind or connect to: tcp://host:port, ipc://name or inproc://name "
                           + "(inproc reaches other zeromq endpoints of the same Camel context). Bind to "
                           + "tcp://127.0.0.1:port unless other machines must connect: a wildcard host or 0.0.0.0 "
                           + "listens on all interfaces.")
    @Metadata(required = true)
    private String address;

    @UriParam(description = "The ZeroMQ socket type. Consumers: SUB, PULL, XSUB, XPUB, REP. Producers: PUB, PUSH, "
                            + "XPUB, REQ.")
    @Metadata(required = true)
    private ZeroMQSocketType socketType;

    @UriParam(defaultValue = "false",
              description = "Bind the socket to the address (listen) instead of connecting to it. Either side of a "
                            + "ZeroMQ connection may bind; exactly one side must.")
    private boolean bind;

    @UriParam(label = "consumer",
              description = "Comma-separated topics to subscribe to (SUB and XSUB only). A topic is a prefix of the "
                            + "first frame: 'a' matches 'a/x' and 'ab'. Empty subscribes to everything.")
    private String topics;

    @UriParam(label = "producer",
              description = "Topic for PUB and XPUB producers: messages are sent as two frames (topic, then body). The "
                            + "CamelZeroMQTopic header overrides it. Without either, the body is sent as one frame.")
    private String topic;

    @UriParam(label = "advanced", defaultValue = "1000",
              description = "Send high-water mark: the maximum number of outgoing messages queued per peer (0 = no "
                            + "limit). Beyond it PUB and XPUB drop messages; PUSH and REQ block (see sendTimeout).")
    private int sendHighWaterMark = 1000;

    @UriParam(label = "advanced", defaultValue = "1000",
              description = "Receive high-water mark: the maximum number of incoming messages queued per peer (0 = "
                            + "no limit). Beyond it a SUB drops messages; other types stop reading from the peer.")
    private int receiveHighWaterMark = 1000;

    @UriParam(label = "advanced", defaultValue = "1000",
              description = "Milliseconds that messages not yet sent are kept after a producer's socket is closed "
                            + "(-1 = until sent, 0 = drop at once). Consumer sockets are closed without linger.")
    private int linger = 1000;

    @UriParam(label = "advanced", defaultValue = "100",
              description = "Milliseconds to wait before reconnecting a connecting socket whose peer went away.")
    private int reconnectInterval = 100;

    @UriParam(label = "advanced", defaultValue = "0",
              description = "Maximum reconnect interval in milliseconds: each retry doubles the wait up to this "
                            + "value. 0 = always wait reconnectInterval.")
    private int reconnectIntervalMax;

    @UriParam(label = "producer", defaultValue = "30000",
              description = "REQ producer: milliseconds to wait for the reply before the exchange fails with an "
                            + "ExchangeTimedOutException (-1 = wait forever).")
    private int receiveTimeout = 30000;

    @UriParam(label = "producer", defaultValue = "-1",
              description = "Milliseconds a send may block (PUSH or REQ at the high-water mark or without any peer) "
                            + "before the exchange fails (-1 = block until sent, 0 = fail at once).")
    private int sendTimeout = -1;

    @UriParam(label = "security", defaultValue = "false",
              description = "Be the CURVE server of the connection (needs curveSecretKey). Independent of bind.")
    private boolean curveServer;

    @UriParam(label = "security", secret = true,
              description = "This socket's CURVE public key (40 characters Z85, or 64 hex digits). Required for "
                            + "CURVE clients.")
    private String curvePublicKey;

    @UriParam(label = "security", secret = true,
              description = "This socket's CURVE secret key (40 characters Z85, or 64 hex digits). Required for "
                            + "CURVE servers and clients. Use a property placeholder, never a literal in a route "
                            + "file, and write it in hex there: Z85 uses characters that URIs and placeholders "
                            + "interpret.")
    private String curveSecretKey;

    @UriParam(label = "security", secret = true,
              description = "CURVE client: the server's public key (40 characters Z85, or 64 hex digits). Setting "
                            + "it makes this socket a CURVE client (needs curvePublicKey and curveSecretKey).")
    private String curveServerKey;

    @UriParam(label = "security",
              description = "CURVE server: comma-separated public keys (Z85 or hex) of the clients allowed to "
                            + "connect; other clients are refused during the handshake. Empty = any client that "
                            + "completes the CURVE handshake (knows the server's public key) is allowed.")
    private String curveAllowedClients;

    public ZeroMQEndpoint(String uri, ZeroMQComponent component, String address) {
        super(uri, component);
        this.address = address;
    }

    @Override
    public ZeroMQComponent getComponent() {
        return (ZeroMQComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        if (!socketType.canProduce()) {
            throw new IllegalArgumentException(
                    "socketType=" + socketType + " cannot be used to send (to:); producers use PUB, PUSH, XPUB or REQ");
        }
        return new ZeroMQProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!socketType.canConsume()) {
            throw new IllegalArgumentException(
                    "socketType=" + socketType + " cannot be used to receive (from:); consumers use SUB, PULL, XSUB, "
                                               + "XPUB or REP");
        }
        ZeroMQConsumer consumer = new ZeroMQConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Checks option combinations; called when the endpoint is created. */
    void validate() {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address is required, e.g. zeromq:tcp://127.0.0.1:5555");
        }
        if (!address.startsWith("tcp://") && !address.startsWith("ipc://") && !address.startsWith("inproc://")) {
            throw new IllegalArgumentException("address " + address + " must start with tcp://, ipc:// or inproc://");
        }
        if (socketType == null) {
            throw new IllegalArgumentException("socketType is required (one of PUB, SUB, PUSH, PULL, XPUB, XSUB, "
                                               + "REQ, REP)");
        }
        if (topics != null && !topics.isBlank() && !socketType.isSubscriber()) {
            throw new IllegalArgumentException("topics applies to SUB and XSUB sockets only, not " + socketType);
        }
        if (topic != null && !socketType.isPublisher()) {
            throw new IllegalArgumentException("topic applies to PUB and XPUB sockets only, not " + socketType);
        }
        requireAtLeast("sendHighWaterMark", sendHighWaterMark, 0);
        requireAtLeast("receiveHighWaterMark", receiveHighWaterMark, 0);
        requireAtLeast("linger", linger, -1);
        requireAtLeast("reconnectInterval", reconnectInterval, -1);
        requireAtLeast("reconnectIntervalMax", reconnectIntervalMax, 0);
        requireAtLeast("receiveTimeout", receiveTimeout, -1);
        requireAtLeast("sendTimeout", sendTimeout, -1);
        validateCurve();
        if (bind && (address.startsWith("tcp://*:") || address.startsWith("tcp://0.0.0.0:"))) {
            LOG.warn("zeromq endpoint binds {} on all network interfaces; use tcp://127.0.0.1:<port> unless other "
                     + "machines must connect", address);
        }
    }

    private void validateCurve() {
        if (curveServer) {
            if (curveServerKey != null) {
                throw new IllegalArgumentException("curveServerKey is for CURVE clients; it cannot be combined with "
                                                   + "curveServer=true");
            }
            if (curveSecretKey == null) {
                throw new IllegalArgumentException("curveServer=true requires curveSecretKey (the server's secret "
                                                   + "key)");
            }
        } else if (curveServerKey != null) {
            if (curvePublicKey == null || curveSecretKey == null) {
                throw new IllegalArgumentException("curveServerKey (CURVE client) requires curvePublicKey and "
                                                   + "curveSecretKey (the client's own key pair)");
            }
        } else if (curvePublicKey != null || curveSecretKey != null) {
            throw new IllegalArgumentException("curvePublicKey and curveSecretKey need curveServer=true (server) or "
                                               + "curveServerKey (client)");
        }
        if (!allowedClientKeys().isEmpty() && !curveServer) {
            throw new IllegalArgumentException("curveAllowedClients requires curveServer=true");
        }
        decodeKey("curvePublicKey", curvePublicKey);
        decodeKey("curveSecretKey", curveSecretKey);
        decodeKey("curveServerKey", curveServerKey);
    }

    private static void requireAtLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", was " + value);
        }
    }

    /**
     * Decodes a CURVE key written as Z85 (40 characters, what ZMQ.Curve.generateKeyPair() gives) or hex (64
     * characters, handy in URIs: Z85 uses characters such as &amp;, ?, = and % that URIs treat specially). The error
     * names the option but never shows the value (it may be a secret).
     */
    static byte[] decodeKey(String option, String text) {
        if (text == null) {
            return null;
        }
        byte[] key = null;
        try {
            if (text.length() == ZMQ.Curve.KEY_SIZE_Z85) {
                key = ZMQ.Curve.z85Decode(text);
            } else if (text.length() == 2 * ZMQ.Curve.KEY_SIZE && text.matches("[0-9a-fA-F]+")) {
                key = HexFormat.of().parseHex(text);
            }
        } catch (RuntimeException e) {
            // reported below
        }
        if (key == null || key.length != ZMQ.Curve.KEY_SIZE) {
            throw new IllegalArgumentException(option + " must be a CURVE key: " + ZMQ.Curve.KEY_SIZE_Z85
                                               + " characters of Z85 (as made by ZMQ.Curve.generateKeyPair()) or "
                                               + 2 * ZMQ.Curve.KEY_SIZE + " hex digits");
        }
        return key;
    }

    List<String> topicList() {
        return splitList(topics);
    }

    /** The allowed client keys in Z85, whatever form they were written in (the ZAP handler compares Z85). */
    Set<String> allowedClientKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (String key : splitList(curveAllowedClients)) {
            keys.add(ZMQ.Curve.z85Encode(decodeKey("curveAllowedClients", key)));
        }
        return keys;
    }

    private static List<String> splitList(String commaSeparated) {
        List<String> items = new ArrayList<>();
        if (commaSeparated != null) {
            for (String item : commaSeparated.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    /**
     * Registers this endpoint's allowed CURVE clients with the component's ZAP handler; returns the ZAP domain to
     * pass to {@link #openSocket}, or null when there is no client list. Undo with {@link #releaseZapDomain}.
     */
    String registerZapDomain() {
        Set<String> allowed = allowedClientKeys();
        return allowed.isEmpty() ? null : getComponent().registerCurveClients(allowed);
    }

    void releaseZapDomain(String zapDomain) {
        getComponent().unregisterCurveClients(zapDomain);
    }

    ZContext getZContext() {
        return getComponent().getZContext();
    }

    /**
     * Creates the socket with all options applied, then binds or connects it. Options must be set before
     * bind/connect: ZeroMQ copies them into each connection when it is made.
     */
    ZMQ.Socket openSocket(String zapDomain) {
        ZContext context = getZContext();
        ZMQ.Socket socket = context.createSocket(socketType.toJeroMQ());
        try {
            socket.setSndHWM(sendHighWaterMark);
            socket.setRcvHWM(receiveHighWaterMark);
            socket.setLinger(linger);
            socket.setReconnectIVL(reconnectInterval);
            socket.setReconnectIVLMax(reconnectIntervalMax);
            if (socketType.canProduce()) {
                socket.setSendTimeOut(sendTimeout);
            }
            if (socketType == ZeroMQSocketType.REQ) {
                socket.setReceiveTimeOut(receiveTimeout);
                // after a timed-out request the socket may send again; a late reply to it is discarded
                socket.setReqRelaxed(true);
                socket.setReqCorrelate(true);
            }
            if (curveServer) {
                if (zapDomain != null) {
                    socket.setZapDomain(zapDomain);
                }
                socket.setCurveServer(true);
                socket.setCurveSecretKey(decodeKey("curveSecretKey", curveSecretKey));
                if (curvePublicKey != null) {
                    socket.setCurvePublicKey(decodeKey("curvePublicKey", curvePublicKey));
                }
            } else if (curveServerKey != null) {
                socket.setCurveServerKey(decodeKey("curveServerKey", curveServerKey));
                socket.setCurvePublicKey(decodeKey("curvePublicKey", curvePublicKey));
                socket.setCurveSecretKey(decodeKey("curveSecretKey", curveSecretKey));
            }
            if (socketType == ZeroMQSocketType.SUB) {
                List<String> list = topicList();
                if (list.isEmpty()) {
                    socket.subscribe(new byte[0]);
                }
                for (String t : list) {
                    socket.subscribe(t.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean done;
            try {
                done = bind ? socket.bind(address) : socket.connect(address);
            } catch (ZMQException e) {
                throw new IllegalStateException("cannot " + (bind ? "bind" : "connect") + " " + socketType + " socket "
                                                + address + ": " + e.getMessage(), e);
            }
            if (!done) {
                throw new IllegalStateException("cannot " + (bind ? "bind" : "connect") + " " + socketType
                                                + " socket " + address);
            }
            if (socketType == ZeroMQSocketType.XSUB) {
                // XSUB subscribes by sending [1, topic...]; it remembers them and sends them to every peer that joins
                List<String> list = topicList();
                if (list.isEmpty()) {
                    list = List.of("");
                }
                for (String t : list) {
                    byte[] topicBytes = t.getBytes(StandardCharsets.UTF_8);
                    byte[] subscription = new byte[topicBytes.length + 1];
                    subscription[0] = 1;
                    System.arraycopy(topicBytes, 0, subscription, 1, topicBytes.length);
                    socket.send(subscription, 0);
                }
            }
            return socket;
        } catch (RuntimeException e) {
            context.destroySocket(socket);
            throw e;
        }
    }

    /**
     * After a bound TCP socket is closed, waits (up to 2 s) until its port can be bound again. JeroMQ closes the
     * listener on its I/O thread, and Java NIO only releases a channel registered with a selector at that selector's
     * next select, so the port stays busy for a few milliseconds after close returns. Without this, a route restarted
     * on the same port could fail with "Address already in use".
     */
    void awaitPortReleased() {
        if (!bind || !address.startsWith("tcp://")) {
            return;
        }
        String hostPort = address.substring("tcp://".length());
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return;
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            return; // "*" or "!": an ephemeral port, nobody will bind it again
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress ip;
        try {
            ip = "*".equals(host) ? null : InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PORT_RELEASE_TIMEOUT_MILLIS);
        while (true) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true); // as JeroMQ's own listener does
                probe.bind(new InetSocketAddress(ip, port));
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("port of {} still busy {} ms after its socket was closed", address,
                             PORT_RELEASE_TIMEOUT_MILLIS);
                    return;
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public ZeroMQSocketType getSocketType() {
        return socketType;
    }

    public void setSocketType(ZeroMQSocketType socketType) {
        this.socketType = socketType;
    }

    public boolean isBind() {
        return bind;
    }

    public void setBind(boolean bind) {
        this.bind = bind;
    }

    public String getTopics() {
        return topics;
    }

    public void setTopics(String topics) {
        this.topics = topics;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public int getSendHighWaterMark() {
        return sendHighWaterMark;
    }

    public void setSendHighWaterMark(int sendHighWaterMark) {
        this.sendHighWaterMark = sendHighWaterMark;
    }

    public int getReceiveHighWaterMark() {
        return receiveHighWaterMark;
    }

    public void setReceiveHighWaterMark(int receiveHighWaterMark) {
        this.receiveHighWaterMark = receiveHighWaterMark;
    }

    public int getLinger() {
        return linger;
    }

    public void setLinger(int linger) {
        this.linger = linger;
    }

    public int getReconnectInterval() {
        return reconnectInterval;
    }

    public void setReconnectInterval(int reconnectInterval) {
        this.reconnectInterval = reconnectInterval;
    }

    public int getReconnectIntervalMax() {
        return reconnectIntervalMax;
    }

    public void setReconnectIntervalMax(int reconnectIntervalMax) {
        this.reconnectIntervalMax = reconnectIntervalMax;
    }

    public int getReceiveTimeout() {
        return receiveTimeout;
    }

    public void setReceiveTimeout(int receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }

    public int getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(int sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public boolean isCurveServer() {
        return curveServer;
    }

    public void setCurveServer(boolean curveServer) {
        this.curveServer = curveServer;
    }

    public String getCurvePublicKey() {
        return curvePublicKey;
    }

    public void setCurvePublicKey(String curvePublicKey) {
        this.curvePublicKey = curvePublicKey;
    }

    public String getCurveSecretKey() {
        return curveSecretKey;
    }

    public void setCurveSecretKey(String curveSecretKey) {
        this.curveSecretKey = curveSecretKey;
    }

    public String getCurveServerKey() {
        return curveServerKey;
    }

    public void setCurveServerKey(String curveServerKey) {
        this.curveServerKey = curveServerKey;
    }

    public String getCurveAllowedClients() {
        return curveAllowedClients;
    }

    public void setCurveAllowedClients(String curveAllowedClients) {
        this.curveAllowedClients = curveAllowedClients;
    }
}
