package io.backplane.distribution;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import io.backplane.core.EventCodec;
import io.backplane.core.InvalidEventException;
import io.backplane.core.client.Emitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backplane emit TAG [--subject S] [--data JSON]}: one event onto the bus, from a shell script or cron. */
@Command(name = "emit", mixinStandardHelpOptions = true,
         description = "Put one event on the bus and print its id.")
final class EmitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TAG", description = "The event's tag, e.g. app/shop/client-load")
    String tag;

    @Option(names = "--subject", description = "The resource the event is about, e.g. web01")
    String subject;

    @Option(names = "--data", defaultValue = "{}", description = "The event's data, a JSON object (default {})")
    String data;

    @Option(names = "--source", defaultValue = "backplane-cli", description = "The event's source (default ${DEFAULT-VALUE})")
    String source;

    @Option(names = "--zeromq", defaultValue = Emitter.DEFAULT_ZEROMQ_ADDRESS,
            description = "The hub's publish address (default ${DEFAULT-VALUE})")
    String zeromq;

    @Option(names = "--http", description = "Post to this ingest URL instead, e.g. " + Emitter.DEFAULT_HTTP_URL)
    URI http;

    @Option(names = "--token", defaultValue = "${env:BACKPLANE_HTTP_TOKEN}",
            description = "Bearer token for --http (default: $BACKPLANE_HTTP_TOKEN, the ingest's own setting)")
    String token;

    @Option(names = "--timeout", defaultValue = "5000",
            description = "Milliseconds to wait for the hub or the ingest (default ${DEFAULT-VALUE})")
    long timeoutMillis;

    @Override
    public Integer call() {
        Map<String, Object> payload;
        try {
            payload = EventCodec.readObject(data, "--data");
        } catch (InvalidEventException e) {
            System.err.println("backplane emit: " + e.getMessage());
            return 2;
        }
        Duration timeout = Duration.ofMillis(timeoutMillis);
        try (Emitter emitter = http != null ? Emitter.http(http, token, source, timeout)
                : Emitter.zeromq(zeromq, source, timeout)) {
            System.out.println(emitter.emit(tag, subject, payload));
            return 0;
        } catch (InvalidEventException e) {
            System.err.println("backplane emit: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("backplane emit: " + e.getMessage());
            return 1;
        }
    }
}
