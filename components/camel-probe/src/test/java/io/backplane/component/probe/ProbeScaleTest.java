package io.backplane.component.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.backplane.core.Event;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 1,000 probes on the component's few shared threads: all of them run, the thread count stays within the documented
 * bound whatever the number of probes, and stopping the context ends every thread.
 */
class ProbeScaleTest extends ProbeTestSupport {

    private static final Pattern PROBE_THREAD = Pattern.compile(".* - Probe(Scheduler|Worker|IO|Http)$");
    private static final int PROBES = 1000;

    static long probeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && PROBE_THREAD.matcher(t.getName()).matches()).count();
    }

    /** Threads of the JDK HTTP client (not ours, not counted in the bound). */
    static long httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().endsWith("-SelectorManager")).count();
    }

    @Test
    void stoppingWithChecksInFlightLeavesNoThreadBehind() throws Exception {
        long httpClientThreadsBefore = httpClientThreads();
        try (HangingServer hanging = new HangingServer()) {
            start("probe:stuckweb?type=http&url=http://127.0.0.1:" + hanging.port() + "/&timeout=30s",
                  "probe:stucktls?type=tls&host=127.0.0.1&port=" + hanging.port() + "&timeout=30s");
            await().atMost(WAIT).until(() -> hanging.accepted.get() >= 2);
            assertThat(probeThreads()).isBetween(1L, 6L);
            context.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> probeThreads() == 0);
            // the in-flight request is cancelled, so the JDK client's selector thread ends (once the client is
            // collected: JDK 17 has no HttpClient.close) without waiting for the 30 s timeout
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                System.gc();
                return httpClientThreads() <= httpClientThreadsBefore;
            });
            // and the sockets of both checks were closed
            await().atMost(WAIT).until(() -> hanging.closedByClient.get() >= 2);
        }
    }

    @Test
    void thousandProbesShareAFewThreadsAndLeaveNoneBehind() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
             TestHttpServer web = TestHttpServer.http()) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "scale-test-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();

            Set<String> up = ConcurrentHashMap.newKeySet();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int i = 0; i < PROBES; i++) {
                        from("probe:p" + i + "?type=tcp&host=127.0.0.1&port=" + server.getLocalPort()
                             + "&interval=1s&timeout=5s").routeId("p" + i)
                                .process(e -> up.add(e.getMessage().getBody(Event.class).type()));
                    }
                    // one http probe too, so the HTTP threads count against the bound
                    from("probe:web?type=http&url=" + web.url("/") + "&interval=1s").routeId("web")
                            .process(e -> up.add(e.getMessage().getBody(Event.class).type()));
                }
            });

            AtomicLong maxThreads = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    maxThreads.accumulateAndGet(probeThreads(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "scale-test-sampler");
            sampler.setDaemon(true);
            sampler.start();
            try {
                context.start();
                // every probe ran at least twice (successes=2 confirms up) and reported up exactly once
                await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                        .until(() -> up.size() == PROBES + 1);
                assertThat(up).contains("monitor/probe/p0/up", "monitor/probe/p999/up", "monitor/probe/web/up");
                for (int i = 0; i < PROBES; i++) {
                    assertThat(consumer("p" + i).getRuns()).isGreaterThanOrEqualTo(2);
                }
                assertThat(accepted.get()).isGreaterThanOrEqualTo(2 * PROBES);
            } finally {
                sampling.set(false);
                sampler.join();
            }
            // 1 scheduler + 2 workers + 1 I/O + 2 HTTP (the defaults), whatever the number of probes
            assertThat(maxThreads.get()).isBetween(1L, 6L);

            context.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> probeThreads() == 0);
        }
    }
}
