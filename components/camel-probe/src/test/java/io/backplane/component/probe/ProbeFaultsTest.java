package io.backplane.component.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Targets that misbehave in other ways: closing at once, names that do not resolve. */
class ProbeFaultsTest extends ProbeTestSupport {

    private ServerSocket closing;

    /** Accepts each connection and closes it at once, without a byte. */
    @BeforeEach
    void startClosingServer() throws IOException {
        closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!closing.isClosed()) {
                try (Socket s = closing.accept()) {
                    s.getInputStream().read(new byte[1]); // wait for the request, then hang up
                } catch (IOException e) {
                    // closed
                }
            }
        }, "closing-server");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stopClosingServer() throws IOException {
        closing.close();
    }

    @Test
    void serverThatHangsUpIsDown() throws Exception {
        start("probe:hangup?type=http&url=http://127.0.0.1:" + closing.getLocalPort() + "/&failures=1",
              "probe:tlshangup?type=tls&host=127.0.0.1&port=" + closing.getLocalPort() + "&failures=1");
        assertThat(awaitEvent(tag("hangup", "down")).data())
                .containsEntry("error", "connection closed by the server");
        assertThat(awaitEvent(tag("tlshangup", "down")).data()).containsEntry(
                "error", "TLS handshake failed: the server closed the connection during the TLS handshake");
    }

    @Test
    void unknownHost() throws Exception {
        // .invalid never resolves (RFC 6761)
        start("probe:nxtcp?type=tcp&host=no-such-host.invalid&port=80&failures=1&timeout=10s",
              "probe:nxhttp?type=http&url=http://no-such-host.invalid/&failures=1&timeout=10s");
        String error = "unknown host no-such-host.invalid";
        assertThat(awaitEvent(tag("nxtcp", "down")).data()).containsEntry("error", error);
        assertThat(awaitEvent(tag("nxhttp", "down")).data()).containsEntry("error", error);
    }
}
