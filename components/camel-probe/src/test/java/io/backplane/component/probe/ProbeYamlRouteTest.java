package io.backplane.component.probe;

import java.util.Properties;

import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML routes of docs/components/probe.md, as written there except for the port numbers and the interval,
 * publishing to the real bus (embedded ZeroMQ hub) and read back from it.
 */
class ProbeYamlRouteTest extends ProbeTestSupport {

    static final String EXAMPLE = """
            - route:
                id: probe-web
                from:
                  uri: probe:web
                  parameters:
                    type: http
                    url: http://127.0.0.1:8080/health
                    interval: 10s
                    timeout: 2s
                    failures: 3
                    successes: 2
                    bodyContains: ok
                  steps:
                    - to: bus
            - route:
                id: probe-db
                from:
                  uri: probe:db
                  parameters:
                    type: tcp
                    host: 127.0.0.1
                    port: 5432
                    interval: 10s
                    subject: db-primary
                  steps:
                    - to: bus
            - route:
                id: probe-down
                from:
                  uri: bus:monitor/probe/*/down
                  steps:
                    - log: "${body[data][name]} (${body[data][target]}) is down: ${body[data][error]}"
            """;

    private TestHttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestHttpServer.http();
        server.respond(TestHttpServer.answer(200, "{\"status\":\"ok\"}"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void exampleRoutesPublishStateChangesOnTheBus() throws Exception {
        Properties bus = new Properties();
        bus.put("backplane.bus.zeromq.publish-port", String.valueOf(Ports.free()));
        bus.put("backplane.bus.zeromq.subscribe-port", String.valueOf(Ports.free()));
        context.getPropertiesComponent().setInitialProperties(bus);
        String closedPort = String.valueOf(Ports.free());
        String yaml = EXAMPLE.replace("8080", String.valueOf(server.port())).replace("5432", closedPort)
                .replace("10s", "100ms");
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("probes.yaml", yaml));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:monitor/probe/**").process(e -> received.add(
                        new Received(e.getMessage().getBody(Event.class), e.getMessage().getHeaders())));
            }
        });
        context.start();

        Received up = awaitEvent(tag("web", "up"));
        assertThat(up.event().subject()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(up.data()).containsEntry("statusCode", 200).containsEntry("previous", "unknown");

        Received down = awaitEvent(tag("db", "down"));
        assertThat(down.event().subject()).isEqualTo("db-primary");
        assertThat(down.data()).containsEntry("target", "127.0.0.1:" + closedPort)
                .containsEntry("error", "connection refused").containsEntry("consecutive", 3);
    }

    @Test
    void regularExpressionsAsYamlParametersArriveUnchanged() throws Exception {
        String yaml = """
                - route:
                    from:
                      uri: probe:json-ok
                      parameters:
                        type: http
                        url: http://127.0.0.1:8080/health
                        interval: 100ms
                        successes: 1
                        bodyMatches: '"status":\\s*"(ok|degraded)"'
                      steps:
                        - to: direct:collect
                - route:
                    from:
                      uri: probe:json-down
                      parameters:
                        type: http
                        url: http://127.0.0.1:8080/health
                        interval: 100ms
                        failures: 1
                        bodyMatches: 'RAW("status":\\s*"down" & more+)'
                      steps:
                        - to: direct:collect
                """.replace("8080", String.valueOf(server.port()));
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("regex.yaml", yaml));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:collect").process(e -> received.add(
                        new Received(e.getMessage().getBody(Event.class), e.getMessage().getHeaders())));
            }
        });
        context.start();
        awaitEvent(tag("json-ok", "up"));
        assertThat(awaitEvent(tag("json-down", "down")).data())
                .containsEntry("error", "body does not match '\"status\":\\s*\"down\" & more+'");
    }
}
