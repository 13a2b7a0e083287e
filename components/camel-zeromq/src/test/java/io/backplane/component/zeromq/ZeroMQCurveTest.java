package io.backplane.component.zeromq;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ZeroMQCurveTest extends ZeroMQTestSupport {

    private static final ZMQ.Curve.KeyPair SERVER = ZMQ.Curve.generateKeyPair();
    private static final ZMQ.Curve.KeyPair CLIENT_A = ZMQ.Curve.generateKeyPair();
    private static final ZMQ.Curve.KeyPair CLIENT_B = ZMQ.Curve.generateKeyPair();

    /** The 64-digit hex form of a Z85 key: needs no escaping in a URI. */
    private static String hex(String z85) {
        return HexFormat.of().formatHex(ZMQ.Curve.z85Decode(z85));
    }

    @Test
    void z85KeysWorkInRawUriValues() throws Exception {
        start();
        // RAW(...) keeps a value as written; Camel ends it at a ")" followed by "&" or the end of the URI, and
        // resolves "{{...}}" as a property placeholder before RAW is read: keys holding those are for hex or properties
        ZMQ.Curve.KeyPair server = rawSafeKeyPair();
        ZMQ.Curve.KeyPair keys = rawSafeKeyPair();
        ZeroMQEndpoint endpoint = context.getEndpoint(
                "zeromq:tcp://127.0.0.1:5555?socketType=SUB&curveServerKey=RAW(" + server.publicKey
                                                      + ")&curvePublicKey=RAW(" + keys.publicKey
                                                      + ")&curveSecretKey=RAW(" + keys.secretKey + ")",
                ZeroMQEndpoint.class);
        assertThat(endpoint.getCurveSecretKey()).isEqualTo(keys.secretKey);
        assertThat(endpoint.getCurveServerKey()).isEqualTo(server.publicKey);
        // and the hex form names the same key
        assertThat(ZeroMQEndpoint.decodeKey("k", hex(keys.secretKey))).isEqualTo(ZMQ.Curve.z85Decode(keys.secretKey));
    }

    @Test
    void eachServerOnlyServesItsAllowedClients() throws Exception {
        int onlyA = freePort();
        int onlyB = freePort();
        int anyClient = freePort();
        BlockingQueue<Received> aOnOnlyA = queue();
        BlockingQueue<Received> bOnOnlyA = queue();
        BlockingQueue<Received> bOnOnlyB = queue();
        BlockingQueue<Received> bOnAny = queue();
        BlockingQueue<Received> plainOnOnlyA = queue();
        // Z85 keys contain characters URIs treat specially (& ? = % + # braces): the test writes them as hex
        context.getPropertiesComponent().addInitialProperty("server.secret", hex(SERVER.secretKey));
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:pub").multicast()
                        .to(server(onlyA, hex(CLIENT_A.publicKey)), server(onlyB, hex(CLIENT_B.publicKey)),
                            server(anyClient, ""));
                from(client(onlyA, CLIENT_A)).process(collect(aOnOnlyA));
                from(client(onlyA, CLIENT_B)).process(collect(bOnOnlyA));
                from(client(onlyB, CLIENT_B)).process(collect(bOnOnlyB));
                from(client(anyClient, CLIENT_B)).process(collect(bOnAny));
                from(tcp(onlyA) + "?socketType=SUB").process(collect(plainOnOnlyA)); // no CURVE at all
            }
        });

        // publish until every allowed client has received something, then for one more second
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            template.sendBodyAndHeader("direct:pub", "secret news", ZeroMQConstants.TOPIC, "t");
            return !aOnOnlyA.isEmpty() && !bOnOnlyB.isEmpty() && !bOnAny.isEmpty();
        });
        long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < until) {
            template.sendBodyAndHeader("direct:pub", "secret news", ZeroMQConstants.TOPIC, "t");
            Thread.sleep(20);
        }

        assertThat(aOnOnlyA.peek().body()).isEqualTo("secret news");
        assertThat(bOnOnlyB.peek().topic()).isEqualTo("t");
        assertThat(aOnOnlyA.size()).isGreaterThan(10);
        assertThat(bOnOnlyA).as("client B is not on server A's list").isEmpty();
        assertThat(plainOnOnlyA).as("a client without CURVE").isEmpty();
    }

    private static String server(int port, String allowedClients) {
        return tcp(port) + "?socketType=PUB&bind=true&curveServer=true&curveSecretKey={{server.secret}}"
               + "&curveAllowedClients=" + allowedClients;
    }

    private static String client(int port, ZMQ.Curve.KeyPair keys) {
        return tcp(port) + "?socketType=SUB&curveServerKey=" + hex(SERVER.publicKey) + "&curvePublicKey="
               + hex(keys.publicKey) + "&curveSecretKey=" + hex(keys.secretKey);
    }
}
