package io.backplane.gate;

import io.backplane.component.state.StateComponent;
import io.backplane.core.http.HttpAuth;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gates' routes: {@code GET <backplane.gates.path>} and {@code GET <backplane.gates.path>/<name>} (default
 * {@code /gates}) on Camel's platform HTTP server (its address and port are the server's), and the route that
 * publishes gate flips ({@code gate/<name>/open|closed}) to {@code backplane.gates.events-to} (default {@code bus};
 * empty for none). {@code backplane.gates.token} requires {@code Authorization: Bearer <token>}.
 */
public class GatesRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(GatesRoutes.class);

    @Override
    public void configure() {
        PropertiesComponent p = getContext().getPropertiesComponent();
        String path = p.resolveProperty("backplane.gates.path").map(String::trim).orElse("/gates");
        String token = p.resolveProperty("backplane.gates.token").orElse(null);
        String eventsTo = p.resolveProperty("backplane.gates.events-to").map(String::trim).orElse("bus");
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("backplane.gates.path must start and not end with '/', got '" + path
                                               + "'");
        }
        HttpAuth auth = HttpAuth.of(token, null, null);
        if (auth.isOpen()) {
            LOG.info("gates {}: no token (backplane.gates.token): anyone who can reach the HTTP address may read "
                     + "the gates", path);
        }
        StateComponent state = getContext().getComponent("state", StateComponent.class);
        GatesHttp http = new GatesHttp(state::gateService, auth);
        from("platform-http:" + path + "?httpMethodRestrict=GET").routeId("backplane-gates").process(http.all());
        from("platform-http:" + path + "/{" + GatesHttp.GATE + "}?httpMethodRestrict=GET").routeId("backplane-gate")
                .process(http.one());
        if (!eventsTo.isEmpty()) {
            from("state:gates").routeId("backplane-gate-events").to(eventsTo);
        }
    }
}
