package io.backplane.component.zeromq;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zeromq.ZMQ;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZeroMQValidationTest extends ZeroMQTestSupport {

    private static final ZMQ.Curve.KeyPair KEYS = rawSafeKeyPair();

    @Test
    void unknownOptionIsRejected() throws Exception {
        start();
        assertThatThrownBy(() -> context.getEndpoint("zeromq:tcp://127.0.0.1:5555?socketType=PUSH&bogus=1"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("bogus");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "socketType=PUSH&topics=a                    | topics",
            "socketType=SUB&topic=a                      | topic applies",
            "bind=true                                   | socketType is required",
            "socketType=PUB&curveServer=true             | curveSecretKey",
            "socketType=SUB&curveServerKey=SERVERKEY     | curvePublicKey and curveSecretKey",
            "socketType=SUB&curveSecretKey=SECRET        | curveServer=true",
            "socketType=SUB&curveAllowedClients=PUBLIC   | curveAllowedClients requires curveServer",
            "socketType=PUB&curveServer=true&curveSecretKey=tooShort | curveSecretKey must be a CURVE key",
            "socketType=PUSH&sendHighWaterMark=-2        | sendHighWaterMark",
    })
    void wrongCombinationsNameTheOption(String options, String message) throws Exception {
        start();
        String uri = "zeromq:tcp://127.0.0.1:5555?" + options.replace("SERVERKEY", "RAW(" + KEYS.publicKey + ")")
                .replace("SECRET", "RAW(" + KEYS.secretKey + ")").replace("PUBLIC", "RAW(" + KEYS.publicKey + ")");
        assertThatThrownBy(() -> context.getEndpoint(uri))
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEYS.secretKey, "tooShort"));
    }

    @Test
    void addressMustNameATransport() throws Exception {
        start();
        assertThatThrownBy(() -> context.getEndpoint("zeromq:udp://127.0.0.1:5555?socketType=PUSH"))
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tcp://, ipc:// or inproc://");
    }

    @Test
    void consumerCannotUseAPublishingSocket() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("zeromq:tcp://127.0.0.1:5555?socketType=PUB").log("never");
            }
        });
        assertThatThrownBy(() -> context.start())
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("socketType=PUB");
    }

    @Test
    void producerCannotUseASubscribingSocket() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:x").to("zeromq:tcp://127.0.0.1:5555?socketType=SUB");
            }
        });
        assertThatThrownBy(() -> context.start())
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("socketType=SUB");
    }
}
