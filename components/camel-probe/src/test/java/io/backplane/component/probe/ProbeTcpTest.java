package io.backplane.component.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.backplane.test.Ports;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProbeTcpTest extends ProbeTestSupport {

    @Test
    void listeningPortIsUp() throws Exception {
        try (HangingServer server = new HangingServer()) {
            start("probe:db?type=tcp&host=127.0.0.1&port=" + server.port() + "&interval=100ms");
            Received up = awaitEvent(tag("db", "up"));
            String target = "127.0.0.1:" + server.port();
            assertThat(up.event().subject()).isEqualTo(target);
            assertThat(up.data()).containsEntry("type", "tcp").containsEntry("target", target)
                    .containsEntry("previous", "unknown").containsEntry("consecutive", 2)
                    .doesNotContainKeys("statusCode", "daysLeft", "error");
            await().atMost(WAIT).until(() -> server.accepted.get() >= 2);
        }
    }

    @Test
    void connectionRefusedIsDownAfterThreeFailures() throws Exception {
        start("probe:closed?type=tcp&host=127.0.0.1&port=" + Ports.free() + "&interval=50ms&subject=db-primary");
        Received down = awaitEvent(tag("closed", "down"));
        assertThat(down.event().subject()).isEqualTo("db-primary");
        assertThat(down.data()).containsEntry("error", "connection refused").containsEntry("consecutive", 3)
                .containsEntry("state", "down");
        assertThat(consumer("closed").getRuns()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void connectThatNeverCompletesTimesOut() throws Exception {
        // a listener that never accepts, with its accept queue full: the kernel drops further SYNs, so a connect
        // hangs as it would towards a firewalled host
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                InetSocketAddress address
                        = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
                for (int i = 0; i < 20; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        s.connect(address, 300);
                    } catch (SocketTimeoutException queueFull) {
                        break;
                    }
                }
                start("probe:firewalled?type=tcp&host=127.0.0.1&port=" + full.getLocalPort()
                      + "&timeout=1s&failures=1");
                Received down = awaitEvent(tag("firewalled", "down"));
                assertThat(down.data()).containsEntry("error", "timeout after 1s");
                assertThat(((Number) down.data().get("latencyMs")).longValue()).isGreaterThanOrEqualTo(1000);
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void stoppingTheRouteCancelsItsSchedule() throws Exception {
        try (HangingServer server = new HangingServer()) {
            start("probe:stopme?type=tcp&host=127.0.0.1&port=" + server.port() + "&interval=50ms");
            ProbeConsumer consumer = consumer("stopme");
            await().atMost(WAIT).until(() -> consumer.getRuns() >= 3);
            context.getRouteController().stopRoute("stopme");
            long runs = consumer.getRuns();
            // over ten intervals nothing more starts
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                    .until(() -> consumer.getRuns() == runs);
            // and a restart starts again from unknown
            context.getRouteController().startRoute("stopme");
            assertThat(awaitEvents(tag("stopme", "up"), 2).get(1).data()).containsEntry("previous", "unknown");
        }
    }

    @Test
    void aFailingRouteDoesNotStopTheProbe() throws Exception {
        try (HangingServer server = new HangingServer()) {
            AtomicInteger attempts = new AtomicInteger();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("probe:failing?type=tcp&host=127.0.0.1&port=" + server.port()
                         + "&interval=50ms&metrics=true").routeId("failing")
                            .process(e -> {
                                attempts.incrementAndGet();
                                throw new IllegalStateException("the rule is broken");
                            });
                }
            });
            context.start();
            // errors are logged by the consumer's exception handler; the checks go on
            await().atMost(WAIT).until(() -> attempts.get() >= 5);
            assertThat(consumer("failing").getRuns()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void ipv6TargetIsWrittenInBrackets() throws Exception {
        try (HangingServer server = new HangingServer()) {
            // not connected: the check fails (or succeeds) either way; only the target text matters here
            start("probe:v6?type=tcp&host=::1&port=" + server.port() + "&interval=100ms&failures=1&successes=1"
                  + "&metrics=true");
            Received result = awaitEvent(tag("v6", "result"));
            assertThat(result.data()).containsEntry("target", "[::1]:" + server.port());
            assertThat(result.event().subject()).isEqualTo("[::1]:" + server.port());
        }
    }
}
