package io.backplane.component.httpaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.backplane.test.Ports;

/**
 * A real HTTP server on 127.0.0.1 and a free port that records every request and answers with a replaceable
 * responder; {@link #HANG} makes a handler wait (until the server closes) without answering.
 */
final class TestServer implements AutoCloseable {

    /** One request as it arrived: the raw (still encoded) path and query. */
    record Received(String method, String rawPath, String rawQuery, Headers headers, String body, long atNanos) {

        String header(String name) {
            return headers.getFirst(name);
        }
    }

    record Reply(int status, String body, Map<String, String> headers) {

        static Reply of(int status, String body) {
            return new Reply(status, body, Map.of());
        }
    }

    /** A responder result meaning: never answer. */
    static final Reply HANG = new Reply(-1, null, Map.of());

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Function<Received, Reply> responder = r -> Reply.of(200, "{\"done\":true}");

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Ports.free()), 50);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(),
                        new String(body, StandardCharsets.UTF_8), System.nanoTime());
                received.add(r);
                Reply reply = responder.apply(r);
                if (reply == HANG) {
                    closing.await(30, TimeUnit.SECONDS);
                    return;
                }
                reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                byte[] out = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    try (OutputStream os = exchange.getResponseBody()) {
                        os.write(out);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String base() {
        return "http://127.0.0.1:" + port();
    }

    void respond(Function<Received, Reply> responder) {
        this.responder = responder;
    }

    /** Answers the given statuses in turn, then the last one for ever. */
    void respondInTurn(int... statuses) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        respond(r -> {
            int i = Math.min(n.getAndIncrement(), statuses.length - 1);
            return Reply.of(statuses[i], "answer " + (i + 1));
        });
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
