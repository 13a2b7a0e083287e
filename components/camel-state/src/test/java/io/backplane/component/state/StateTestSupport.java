package io.backplane.component.state;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts real Camel contexts: the bus (embedded ZeroMQ hub on free ports), optionally the Vert.x platform HTTP server
 * on a free port, the state component on a file in a temporary directory, and YAML routes loaded as a user writes
 * them.
 */
public abstract class StateTestSupport {

    @TempDir
    protected Path dir;

    protected final List<CamelContext> contexts = new ArrayList<>();
    protected CamelContext context;
    protected ProducerTemplate template;
    protected int httpPort;

    /** Properties every context gets; tests add their own. */
    protected Properties properties() {
        Properties p = new Properties();
        p.put("backplane.state.file", dir.resolve("data/state.json").toString());
        p.put("backplane.gates.file", "none");
        p.put("backplane.state.purge-interval", "100");
        p.put("backplane.gates.check-interval", "200");
        return p;
    }

    /** A context with these properties, routes (YAML text or RouteBuilders) and, when {@code http}, a server. */
    protected CamelContext start(Properties props, boolean http, Object... routes) throws Exception {
        CamelContext c = create(props, http, routes);
        c.start();
        context = c;
        template = c.createProducerTemplate();
        return c;
    }

    protected CamelContext create(Properties props, boolean http, Object... routes) throws Exception {
        CamelContext c = new DefaultCamelContext();
        contexts.add(c);
        c.getPropertiesComponent().setInitialProperties(props);
        if (http) {
            httpPort = Ports.free();
            VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
            conf.setBindHost("127.0.0.1");
            conf.setBindPort(httpPort);
            c.addService(new VertxPlatformHttpServer(conf));
        }
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        c.addComponent("bus", bus);
        for (Object r : routes) {
            if (r instanceof String yaml) {
                PluginHelper.getRoutesLoader(c).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
            } else {
                c.addRoutes((RoutesBuilder) r);
            }
        }
        return c;
    }

    protected FactStore store() {
        return context.getComponent("state", StateComponent.class).store();
    }

    /** Publishes an event on the bus, as a source would. */
    protected void publish(String tag, String subject, Map<String, ?> data) {
        template.sendBody("bus", Event.builder(tag).subject(subject).data(data).build());
    }

    protected void stop(CamelContext c) {
        c.stop();
    }

    @AfterEach
    void closeAll() {
        for (CamelContext c : contexts) {
            c.stop();
        }
    }
}
