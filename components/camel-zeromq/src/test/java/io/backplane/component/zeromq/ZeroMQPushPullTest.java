package io.backplane.component.zeromq;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ZeroMQPushPullTest extends ZeroMQTestSupport {

    @Test
    void pullBindsPushConnects() throws Exception {
        assertDelivered("?socketType=PULL&bind=true", "?socketType=PUSH");
    }

    @Test
    void pushBindsPullConnects() throws Exception {
        assertDelivered("?socketType=PULL", "?socketType=PUSH&bind=true");
    }

    private void assertDelivered(String pullOptions, String pushOptions) throws Exception {
        int port = freePort();
        BlockingQueue<Received> received = queue();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(tcp(port) + pullOptions).process(collect(received));
                from("direct:push").to(tcp(port) + pushOptions);
            }
        });
        for (int i = 0; i < 10; i++) {
            template.sendBody("direct:push", "m" + i);
        }
        // PUSH queues until a peer is there, so nothing is lost even if sent before the connection is up
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 10);
        assertThat(received).extracting(Received::body)
                .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
        assertThat(received).allMatch(r -> r.topic() == null && r.frames() == null);
    }

    @Test
    void inprocConnectsRoutesOfTheSameCamelContext() throws Exception {
        BlockingQueue<Received> received = queue();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("zeromq:inproc://jobs?socketType=PULL&bind=true").process(collect(received));
                from("direct:push").to("zeromq:inproc://jobs?socketType=PUSH");
            }
        });
        template.sendBody("direct:push", "in process");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(received.take().body()).isEqualTo("in process");
    }

    @Test
    void producerIsSafeFromManyThreads() throws Exception {
        int port = freePort();
        int threads = 4;
        int perThread = 2000;
        Set<String> received = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(tcp(port) + "?socketType=PULL&bind=true").process(e -> {
                    // the consumer runs on one thread, so this list needs no lock
                    if (!received.add(e.getMessage().getBody(String.class))) {
                        duplicates.add(e.getMessage().getBody(String.class));
                    }
                });
                // one producer instance, called by all threads
                from("direct:push").to(tcp(port) + "?socketType=PUSH");
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        template.sendBody("direct:push", thread + "-" + i);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == threads * perThread);
        assertThat(duplicates).isEmpty();
        assertThat(received).contains("0-0", "3-1999");
    }

    @Test
    void sendHighWaterMarkLimitsWhatIsQueued() throws Exception {
        int port = freePort(); // nobody listens there: PUSH queues up to its high-water mark, then cannot send
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:push").to(tcp(port) + "?socketType=PUSH&sendHighWaterMark=5&sendTimeout=0&linger=0");
            }
        });
        int sent = 0;
        try {
            for (; sent < 100; sent++) {
                template.sendBody("direct:push", "m" + sent);
            }
        } catch (CamelExecutionException e) {
            assertThat(e.getCause()).hasMessageContaining("sendTimeout=0");
        }
        assertThat(sent).isEqualTo(5);
    }

    @Test
    void highWaterMarkOptionsReachTheSocket() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
            }
        });
        ZeroMQEndpoint endpoint = context.getEndpoint(
                "zeromq:inproc://hwm?socketType=PULL&bind=true&sendHighWaterMark=7&receiveHighWaterMark=3&linger=0",
                ZeroMQEndpoint.class);
        ZMQ.Socket socket = endpoint.openSocket(null);
        try {
            assertThat(socket.getSndHWM()).isEqualTo(7);
            assertThat(socket.getRcvHWM()).isEqualTo(3);
            assertThat(socket.getLinger()).isZero();
        } finally {
            endpoint.getZContext().destroySocket(socket);
        }
        // and the documented defaults, those of ZeroMQ
        ZeroMQEndpoint defaults = context.getEndpoint("zeromq:inproc://hwm2?socketType=PULL", ZeroMQEndpoint.class);
        assertThat(defaults.getSendHighWaterMark()).isEqualTo(1000);
        assertThat(defaults.getReceiveHighWaterMark()).isEqualTo(1000);
    }

    @Test
    void stoppingRoutesClosesSocketsThreadsAndFreesPorts() throws Exception {
        int pullPort = freePort();
        int pushPort = freePort();
        BlockingQueue<Received> received = queue();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(tcp(pullPort) + "?socketType=PULL&bind=true").routeId("pull").process(collect(received));
                from("direct:push").routeId("push").to(tcp(pushPort) + "?socketType=PUSH&bind=true");
            }
        });
        String thread = "zeromq-PULL-tcp://127.0.0.1:" + pullPort;
        assertThat(threadNames()).contains(thread);

        // the port must be free as soon as stopRoute returns; a few rounds, as closing is asynchronous in JeroMQ
        for (int i = 0; i < 5; i++) {
            context.getRouteController().stopRoute("pull");
            assertThat(threadNames()).doesNotContain(thread);
            bindAndClose(pullPort); // throws "Address already in use" if the port is still held
            context.getRouteController().startRoute("pull");
        }
        context.getRouteController().stopRoute("push");
        bindAndClose(pushPort);

        // the restarted consumer works
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:again").to(tcp(pullPort) + "?socketType=PUSH");
            }
        });
        template.sendBody("direct:again", "again");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(received.take().body()).isEqualTo("again");
    }

    private static void bindAndClose(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as ZeroMQ's own listener does
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    private static Set<String> threadNames() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
        return names;
    }

    @Test
    void sendTimeoutFailsTheExchangeWhenNoPeer() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                // bind=true and nobody connected: PUSH has no peer at all and cannot queue
                from("direct:push").to("zeromq:inproc://nobody?socketType=PUSH&bind=true&sendTimeout=100");
            }
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> template.sendBody("direct:push", "lost"))
                .rootCause()
                .isInstanceOf(CamelExchangeException.class)
                .hasMessageContaining("sendTimeout=100");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
}
