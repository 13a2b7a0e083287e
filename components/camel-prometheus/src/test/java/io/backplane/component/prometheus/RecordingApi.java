package io.backplane.component.prometheus;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server standing in for the Prometheus API where a real Prometheus cannot show what is tested: it
 * records each request (method, Authorization, query) and answers with a canned response the test sets. The canned
 * bodies are copied from real Prometheus 2.42 answers.
 */
final class RecordingApi implements AutoCloseable {

    /** A real answer of /api/v1/query for one series (time 1700000000.5). */
    static final String VECTOR = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
                                 + "{\"instance\":\"a\",\"job\":\"node\"},\"value\":[1700000000.5,\"3\"]}]}}";

    record Request(String method, String authorization, String contentType, String rawQuery, String body) {
    }

    record Answer(int status, String contentType, String body, String location) {

        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body, null);
        }

        static Answer text(int status, String body) {
            return new Answer(status, "text/plain", body, null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Answer answer = Answer.json(200, VECTOR);
    private volatile boolean hang;

    RecordingApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/api/v1/query", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(),
                                 exchange.getRequestHeaders().getFirst("Authorization"),
                                 exchange.getRequestHeaders().getFirst("Content-Type"),
                                 exchange.getRequestURI().getRawQuery(), body));
        if (hang) {
            try {
                // a Prometheus that never answers (released when the test ends)
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Answer a = answer;
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", a.contentType());
        if (a.location() != null) {
            exchange.getResponseHeaders().set("Location", a.location());
        }
        exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    RecordingApi answer(Answer a) {
        this.answer = a;
        return this;
    }

    /** Accept requests but never answer them. */
    RecordingApi hang() {
        this.hang = true;
        return this;
    }

    List<Request> requests() {
        return requests;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
