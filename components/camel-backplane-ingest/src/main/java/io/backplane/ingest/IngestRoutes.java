package io.backplane.ingest;

import io.backplane.core.EventCodec;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest route: {@code POST <backplane.http.path>} (default {@code /events}) on Camel's platform HTTP server.
 * Settings: {@code backplane.http.token} (bearer token; none by default), {@code backplane.http.max-body-bytes}
 * (default 1 MiB), {@code backplane.bus.max-event-bytes} (default 1 MiB). The server's address and port are the
 * platform's ({@code camel.server.host}/{@code camel.server.port} in camel-main, set from
 * {@code backplane.http.host}/{@code backplane.http.port} by the distribution).
 */
public class IngestRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRoutes.class);

    @Override
    public void configure() {
        PropertiesComponent p = getContext().getPropertiesComponent();
        String path = p.resolveProperty("backplane.http.path").orElse("/events");
        String token = p.resolveProperty("backplane.http.token").orElse(null);
        int maxBody = p.resolveProperty("backplane.http.max-body-bytes").map(Integer::parseInt)
                .orElse(EventCodec.DEFAULT_MAX_BYTES);
        int maxEvent = p.resolveProperty("backplane.bus.max-event-bytes").map(Integer::parseInt)
                .orElse(EventCodec.DEFAULT_MAX_BYTES);
        if (token == null || token.isBlank()) {
            LOG.info("ingest {}: no token (backplane.http.token): anyone who can reach the HTTP address may post "
                     + "events", path);
            token = null;
        }
        // create the bus now, so that its hub is up when the context starts, not at the first POST
        getContext().getEndpoint("bus");
        from("platform-http:" + path + "?httpMethodRestrict=POST")
                .routeId("backplane-ingest")
                // start last, so nothing is accepted before the rules that would react to it are listening
                .startupOrder(100_000)
                .process(new IngestProcessor(new EventCodec(maxEvent), maxBody, token, "bus"));
    }
}
