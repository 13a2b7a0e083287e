package io.backplane.component.zeromq;

import io.backplane.test.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.zeromq.ZMQ;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** One plain Camel context per test; real sockets on 127.0.0.1 with ports picked at run time. */
abstract class ZeroMQTestSupport {

    /** What a consumer route received: the body as text, the topic header and the frames header. */
    record Received(String body, String topic, List<byte[]> frames) {
    }

    protected DefaultCamelContext context;
    protected ProducerTemplate template;

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    protected void start(RoutesBuilder... routes) throws Exception {
        for (RoutesBuilder r : routes) {
            context.addRoutes(r);
        }
        context.start();
        template = context.createProducerTemplate();
    }

    static int freePort() {
        return Ports.free();
    }

    static String tcp(int port) {
        return "zeromq:tcp://127.0.0.1:" + port;
    }

    /** A processor that records each exchange's body (byte[] as UTF-8 text) and ZeroMQ headers. */
    @SuppressWarnings("unchecked")
    static Processor collect(BlockingQueue<Received> into) {
        return (Exchange e) -> into.add(new Received(
                new String(e.getMessage().getBody(byte[].class), StandardCharsets.UTF_8),
                e.getMessage().getHeader(ZeroMQConstants.TOPIC, String.class),
                e.getMessage().getHeader(ZeroMQConstants.FRAMES, List.class)));
    }

    static BlockingQueue<Received> queue() {
        return new LinkedBlockingQueue<>();
    }

    static boolean hasBody(BlockingQueue<Received> q, String body) {
        return q.stream().anyMatch(r -> body.equals(r.body()));
    }

    /**
     * A key pair whose Z85 text can stand in {@code RAW(...)}: without ")" (which can end RAW) and without "{{" or
     * "}}" (which Camel reads as a property placeholder first).
     */
    static ZMQ.Curve.KeyPair rawSafeKeyPair() {
        while (true) {
            ZMQ.Curve.KeyPair keys = ZMQ.Curve.generateKeyPair();
            String both = keys.publicKey + " " + keys.secretKey;
            if (!both.contains(")") && !both.contains("{{") && !both.contains("}}")) {
                return keys;
            }
        }
    }
}
