package io.backplane.component.zeromq;

import java.time.Duration;
import java.util.HexFormat;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The YAML routes of docs/components/zeromq.md, as written there except for the port numbers. */
class ZeroMQYamlRouteTest extends ZeroMQTestSupport {

    private static final String PUB_SUB = """
            - route:
                id: alerts-in
                from:
                  uri: zeromq:tcp://127.0.0.1:5556
                  parameters:
                    socketType: SUB
                    topics: monitor/
                  steps:
                    - log: "${header.CamelZeroMQTopic}: ${bodyAs(String)}"
                    - to: direct:rules
            - route:
                id: alerts-out
                from:
                  uri: direct:alerts-out
                  steps:
                    - to:
                        uri: zeromq:tcp://127.0.0.1:5556
                        parameters:
                          socketType: PUB
                          bind: true
                          topic: monitor/alert
            """;

    private static final String CURVE_SERVER = """
            - route:
                from:
                  uri: direct:alerts-out
                  steps:
                    - to:
                        uri: zeromq:tcp://127.0.0.1:5561
                        parameters:
                          socketType: PUB
                          bind: true
                          topic: monitor/alert
                          curveServer: true
                          curveSecretKey: "{{zmq.server.secret}}"
                          curveAllowedClients: "{{zmq.allowed.clients}}"
            """;

    private static final String CURVE_CLIENT = """
            - route:
                from:
                  uri: zeromq:tcp://127.0.0.1:5561
                  parameters:
                    socketType: SUB
                    topics: monitor/
                    curveServerKey: "{{zmq.server.public}}"
                    curvePublicKey: "{{zmq.client.public}}"
                    curveSecretKey: "{{zmq.client.secret}}"
                  steps:
                    - to: direct:rules
            """;

    @Test
    void publishSubscribeExample() throws Exception {
        load(PUB_SUB.replace("5556", String.valueOf(freePort())));
        assertAlertArrives();
    }

    @Test
    void curveExampleWithHexKeysFromProperties() throws Exception {
        ZMQ.Curve.KeyPair server = ZMQ.Curve.generateKeyPair();
        ZMQ.Curve.KeyPair client = ZMQ.Curve.generateKeyPair();
        ZMQ.Curve.KeyPair other = ZMQ.Curve.generateKeyPair();
        var props = context.getPropertiesComponent();
        props.addInitialProperty("zmq.server.secret", hex(server.secretKey));
        props.addInitialProperty("zmq.allowed.clients", hex(other.publicKey) + "," + hex(client.publicKey));
        props.addInitialProperty("zmq.server.public", hex(server.publicKey));
        props.addInitialProperty("zmq.client.public", hex(client.publicKey));
        props.addInitialProperty("zmq.client.secret", hex(client.secretKey));
        String port = String.valueOf(freePort());
        load(CURVE_SERVER.replace("5561", port) + CURVE_CLIENT.replace("5561", port));
        assertAlertArrives();
    }

    private void load(String yaml) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("zeromq.yaml", yaml));
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:rules").to("mock:rules");
            }
        });
    }

    private void assertAlertArrives() {
        MockEndpoint rules = context.getEndpoint("mock:rules", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            template.sendBody("direct:alerts-out", "disk full");
            return rules.getReceivedCounter() > 0;
        });
        assertThat(rules.getReceivedExchanges().get(0).getMessage().getBody(String.class)).isEqualTo("disk full");
        assertThat(rules.getReceivedExchanges().get(0).getMessage().getHeader(ZeroMQConstants.TOPIC))
                .isEqualTo("monitor/alert");
    }

    private static String hex(String z85) {
        return HexFormat.of().formatHex(ZMQ.Curve.z85Decode(z85));
    }
}
