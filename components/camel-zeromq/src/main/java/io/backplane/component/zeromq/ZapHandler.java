package io.backplane.component.zeromq;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.backplane.core.zmq.ZmqReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * ZAP 1.0 handler (https://rfc.zeromq.org/spec/27/) for one ZContext: decides which CURVE clients may connect to
 * this component's CURVE server sockets.
 * <p>
 * Once a handler is bound to {@code inproc://zeromq.zap.01} in a context, JeroMQ asks it about every CURVE handshake
 * of every server socket of that context (and about NULL-mechanism handshakes of sockets that have a ZAP domain).
 * Each CURVE server endpoint with {@code curveAllowedClients} gets its own domain, and the handler checks the client's
 * long-term public key against that domain's list. CURVE servers without a list set no domain: an empty domain is
 * allowed (any client that completes the CURVE handshake, i.e. knows the server's public key). A domain that is not
 * registered (any more) is refused.
 */
final class ZapHandler {

    static final String ZAP_ADDRESS = "inproc://zeromq.zap.01";

    private static final Logger LOG = LoggerFactory.getLogger(ZapHandler.class);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);

    private final ZContext context;
    private final Map<String, Set<String>> allowedByDomain = new ConcurrentHashMap<>();
    private ZmqReceiver receiver;

    ZapHandler(ZContext context) {
        this.context = context;
    }

    /**
     * Registers a list of allowed client public keys (Z85) and returns the ZAP domain to set on the server socket.
     * Starts the handler thread on first use: it must be bound before the server socket's first handshake.
     */
    synchronized String register(Set<String> allowedClientKeys) {
        if (receiver == null) {
            ZMQ.Socket socket = context.createSocket(SocketType.REP);
            try {
                socket.bind(ZAP_ADDRESS);
            } catch (RuntimeException e) {
                context.destroySocket(socket);
                throw e;
            }
            receiver = new ZmqReceiver(context, socket, "zeromq-zap-handler", this::handle,
                                       e -> LOG.warn("ZAP handler failed: {}", e.getMessage(), e)).start();
        }
        String domain = "camel-zeromq-" + SEQ.incrementAndGet();
        allowedByDomain.put(domain, Set.copyOf(allowedClientKeys));
        return domain;
    }

    void unregister(String domain) {
        if (domain != null) {
            allowedByDomain.remove(domain);
        }
    }

    synchronized void stop() {
        if (receiver != null) {
            receiver.stop();
            receiver = null;
        }
        allowedByDomain.clear();
    }

    /**
     * Request: version, request id, domain, address, identity, mechanism, credentials (CURVE: the client's 32-byte
     * public key). Reply: version, request id, status code, status text, user id, metadata. A REP socket must always
     * reply, so this never throws.
     */
    private byte[][] handle(byte[][] request) {
        byte[] requestId = request.length > 1 ? request[1] : new byte[0];
        try {
            if (request.length < 6 || !"1.0".equals(string(request[0]))) {
                return reply(requestId, "400", "malformed ZAP request", "");
            }
            String domain = string(request[2]);
            String mechanism = string(request[5]);
            if (domain.isEmpty()) {
                // a CURVE server without curveAllowedClients: the CURVE handshake itself is the check
                return reply(requestId, "200", "OK", "");
            }
            Set<String> allowed = allowedByDomain.get(domain);
            if (allowed == null) {
                return reply(requestId, "400", "unknown ZAP domain", "");
            }
            if (!"CURVE".equals(mechanism) || request.length < 7 || request[6].length != ZMQ.Curve.KEY_SIZE) {
                return reply(requestId, "400", "CURVE required", "");
            }
            String clientKey = ZMQ.Curve.z85Encode(request[6]);
            if (allowed.contains(clientKey)) {
                return reply(requestId, "200", "OK", clientKey);
            }
            LOG.debug("ZAP: refused CURVE client {} from {} (domain {})", clientKey, string(request[3]), domain);
            return reply(requestId, "400", "client key not allowed", "");
        } catch (RuntimeException e) {
            LOG.warn("ZAP: failed to handle a request: {}", e.getMessage(), e);
            return reply(requestId, "500", "internal error", "");
        }
    }

    private static byte[][] reply(byte[] requestId, String status, String text, String userId) {
        return new byte[][] {
                VERSION.clone(), requestId, bytes(status), bytes(text), bytes(userId), new byte[0] };
    }

    private static String string(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
