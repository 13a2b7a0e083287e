package io.backplane.component.probe;

import java.security.KeyStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** TLS certificate checks and HTTPS requests against the JDK's HttpsServer with keytool-made certificates. */
class ProbeTlsTest extends ProbeTestSupport {

    private static TestCerts certs;
    private TestHttpServer server;

    @BeforeAll
    static void certificates() {
        certs = TestCerts.get();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private TestHttpServer serve(KeyStore keyStore) throws Exception {
        server = TestHttpServer.https(TestCerts.serverContext(keyStore));
        return server;
    }

    private String trusted() {
        return "&trustStore=" + certs.trustStore + "&trustStorePassword=" + TestCerts.PASSWORD;
    }

    private String tls(String name, String options) {
        return "probe:" + name + "?type=tls&host=127.0.0.1&port=" + server.port() + "&interval=100ms&" + options;
    }

    @Test
    void trustedCertificateWithEnoughDaysLeftIsUp() throws Exception {
        serve(certs.valid);
        start(tls("cert", "minDaysLeft=5&successes=1" + trusted()));
        Received up = awaitEvent(tag("cert", "up"));
        assertThat(up.event().subject()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(up.data()).containsEntry("type", "tls").containsEntry("target", "127.0.0.1:" + server.port())
                .doesNotContainKey("error");
        // valid for 10 days from its creation a moment ago: 9 whole days left
        assertThat(((Number) up.data().get("daysLeft")).longValue()).isBetween(9L, 10L);
    }

    @Test
    void fewerDaysLeftThanMinDaysLeftIsDown() throws Exception {
        serve(certs.valid);
        start(tls("soon", "failures=1" + trusted())); // minDaysLeft defaults to 14
        Received down = awaitEvent(tag("soon", "down"));
        long days = ((Number) down.data().get("daysLeft")).longValue();
        assertThat(days).isBetween(9L, 10L);
        assertThat((String) down.data().get("error")).startsWith("certificate expires in " + days + " days (")
                .endsWith("), fewer than minDaysLeft 14");
    }

    @Test
    void expiredCertificateIsDownWithNegativeDaysLeft() throws Exception {
        serve(certs.expired);
        start(tls("expired", "failures=1" + trusted()));
        Received down = awaitEvent(tag("expired", "down"));
        assertThat((String) down.data().get("error")).startsWith("TLS handshake failed: ")
                .contains("validity check failed");
        // issued 10 days ago for 2 days: expired 8 days ago
        assertThat(((Number) down.data().get("daysLeft")).longValue()).isBetween(-9L, -7L);
        // the chain remembered for the failed handshake is let go
        TlsCheck check = (TlsCheck) consumer("expired").getEndpoint().check();
        await().atMost(WAIT).until(() -> check.pendingCaptures() == 0);
    }

    @Test
    void selfSignedCertificateIsNotTrustedByDefault() throws Exception {
        serve(certs.selfSigned);
        start(tls("selfsigned", "minDaysLeft=0&failures=1"));
        Received down = awaitEvent(tag("selfsigned", "down"));
        assertThat((String) down.data().get("error")).startsWith("TLS handshake failed: ")
                .contains("PKIX path building failed");
        // the certificate was seen, so its days left are known even though it is not trusted
        assertThat(((Number) down.data().get("daysLeft")).longValue()).isBetween(9L, 10L);
    }

    @Test
    void selfSignedCertificateOutsideTheTrustStoreIsNotTrusted() throws Exception {
        serve(certs.selfSigned);
        start(tls("notinstore", "minDaysLeft=0&failures=1" + trusted()));
        assertThat((String) awaitEvent(tag("notinstore", "down")).data().get("error"))
                .startsWith("TLS handshake failed: ").contains("PKIX path building failed");
    }

    @Test
    void certificateForAnotherHostIsDown() throws Exception {
        serve(certs.otherHost);
        start(tls("otherhost", "minDaysLeft=0&failures=1" + trusted()));
        Received down = awaitEvent(tag("otherhost", "down"));
        assertThat((String) down.data().get("error")).startsWith("TLS handshake failed: ").contains("127.0.0.1");
    }

    @Test
    void handshakeThatNeverAnswersTimesOut() throws Exception {
        try (HangingServer hanging = new HangingServer()) {
            start("probe:tlshang?type=tls&host=127.0.0.1&port=" + hanging.port() + "&timeout=1s&failures=1");
            Received down = awaitEvent(tag("tlshang", "down"));
            assertThat(down.data()).containsEntry("error", "timeout after 1s").doesNotContainKey("daysLeft");
            // the timed-out connection was closed, not left open
            await().atMost(WAIT).until(() -> hanging.closedByClient.get() >= 1);
        }
    }

    @Test
    void httpsWithTrustStoreIsUpAndReportsDaysLeft() throws Exception {
        serve(certs.valid);
        start("probe:secure?type=http&url=" + server.url("/health") + "&interval=100ms&successes=1" + trusted(),
              "probe:untrusted?type=http&url=" + server.url("/health") + "&interval=100ms&failures=1");
        Received up = awaitEvent(tag("secure", "up"));
        assertThat(up.data()).containsEntry("statusCode", 200);
        assertThat(((Number) up.data().get("daysLeft")).longValue()).isBetween(9L, 10L);
        Received down = awaitEvent(tag("untrusted", "down"));
        assertThat((String) down.data().get("error")).startsWith("TLS handshake failed: ");
    }

    @Test
    void httpsToAnExpiredCertificateIsDown() throws Exception {
        serve(certs.expired);
        start("probe:expiredweb?type=http&url=" + server.url("/") + "&interval=100ms&failures=1" + trusted());
        Received down = awaitEvent(tag("expiredweb", "down"));
        assertThat((String) down.data().get("error")).startsWith("TLS handshake failed: ");
    }
}
