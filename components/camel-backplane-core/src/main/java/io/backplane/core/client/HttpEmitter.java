package io.backplane.core.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.backplane.core.Event;

final class HttpEmitter implements Emitter {

    private final HttpClient client;
    private final URI url;
    private final String token;
    private final String source;
    private final Duration timeout;

    HttpEmitter(URI url, String token, String source, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.url = url;
        this.token = token;
        this.source = source;
        this.timeout = timeout;
    }

    @Override
    public void emit(Event event) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.toJson()));
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach Backplane at " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while emitting to " + url, e);
        }
        if (response.statusCode() != 202) {
            throw new IllegalStateException("Backplane at " + url + " refused the event: HTTP "
                                            + response.statusCode() + " " + response.body());
        }
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public void close() {
        // HttpClient has no close on Java 17; its threads end when it is collected
    }
}
