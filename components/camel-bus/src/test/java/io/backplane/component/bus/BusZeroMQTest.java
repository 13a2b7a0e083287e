package io.backplane.component.bus;

import io.backplane.test.Ports;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.backplane.core.Event;
import io.backplane.core.client.Emitter;
import io.backplane.core.zmq.ZmqPublisher;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BusZeroMQTest extends BusContractTestSupport {

    private int publishPort;
    private int subscribePort;

    @Override
    protected void configure(BusComponent bus) {
        publishPort = Ports.free();
        subscribePort = Ports.free();
        bus.setPublishPort(publishPort);
        bus.setSubscribePort(subscribePort);
    }

    private CamelContext contextWith(RouteBuilder routes) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        BusComponent bus = new BusComponent();
        configure(bus);
        ctx.addComponent("bus", bus);
        ctx.addRoutes(routes);
        ctx.start();
        return ctx;
    }

    @Test
    void externalEmittersReachRoutesAndOneParsedEventIsSharedByAllOfThem() throws Exception {
        List<Object> bodies = new CopyOnWriteArrayList<>();
        context = contextWith(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:app/**").process(e -> bodies.add(e.getMessage().getBody()));
                from("bus:app/*/client-load").process(e -> bodies.add(e.getMessage().getBody()));
            }
        });
        try (Emitter emitter = Emitter.zeromq("tcp://127.0.0.1:" + publishPort, "test")) {
            emitter.emit("app/shop/client-load", "web01", Map.of("load", 0.5));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.size() == 2);
        assertThat(bodies.get(0)).isInstanceOf(Event.class).isSameAs(bodies.get(1));
    }

    @Test
    void malformedAndMismatchedMessagesAreDroppedAndCountedWithoutLosingTheNextEvent() throws Exception {
        context = contextWith(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:app/**").to("mock:app");
            }
        });
        MockEndpoint app = context.getEndpoint("mock:app", MockEndpoint.class);
        app.expectedMessageCount(1);
        Event good = Event.builder("app/x/y").build();
        try (ZmqPublisher raw = new ZmqPublisher("tcp://127.0.0.1:" + publishPort, 1000,
                java.time.Duration.ofSeconds(5))) {
            raw.send("app/x/y".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
            raw.send("app/x/other".getBytes(StandardCharsets.UTF_8), good.toJson());
            raw.send("app//bad".getBytes(StandardCharsets.UTF_8), good.toJson());
            raw.send("app/x/y".getBytes(StandardCharsets.UTF_8), good.toJson());
        }
        app.assertIsSatisfied(5000);
        assertThat(app.getExchanges().get(0).getMessage().getBody(Event.class).id()).isEqualTo(good.id());
        BusComponent bus = context.getComponent("bus", BusComponent.class);
        await().atMost(2, TimeUnit.SECONDS).until(() -> bus.counters()[2] == 3);
    }

    @Test
    void aPublisherThatConnectsBeforeTheHubExistsReconnectsAndDelivers() throws Exception {
        publishPort = Ports.free();
        subscribePort = Ports.free();
        // the emitter connects to a port where nothing listens yet; ZeroMQ keeps retrying in the background
        try (Emitter emitter = Emitter.zeromq("tcp://127.0.0.1:" + publishPort, "early")) {
            Thread.sleep(300);
            CamelContext ctx = new DefaultCamelContext();
            BusComponent bus = new BusComponent();
            bus.setPublishPort(publishPort);
            bus.setSubscribePort(subscribePort);
            ctx.addComponent("bus", bus);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("bus:app/early/**").to("mock:early");
                }
            });
            context = ctx;
            ctx.start();
            MockEndpoint early = ctx.getEndpoint("mock:early", MockEndpoint.class);
            early.expectedMessageCount(1);
            emitter.emit("app/early/bird", null, Map.of());
            early.assertIsSatisfied(5000);
        }
    }

    @Test
    void aStoppedRouteStopsReceivingWhileTheOthersGoOn() throws Exception {
        context = contextWith(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:app/**").routeId("leaver").to("mock:leaver");
                from("bus:app/**").routeId("stayer").to("mock:stayer");
            }
        });
        MockEndpoint leaver = context.getEndpoint("mock:leaver", MockEndpoint.class);
        MockEndpoint stayer = context.getEndpoint("mock:stayer", MockEndpoint.class);
        context.createProducerTemplate().sendBody("bus", Event.builder("app/a/b").build());
        await().atMost(5, TimeUnit.SECONDS).until(() -> leaver.getReceivedCounter() == 1);
        context.getRouteController().stopRoute("leaver");
        context.createProducerTemplate().sendBody("bus", Event.builder("app/a/c").build());
        await().atMost(5, TimeUnit.SECONDS).until(() -> stayer.getReceivedCounter() == 2);
        Thread.sleep(200);
        assertThat(leaver.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void aThousandRoutesShareOneSocketAndOneThread() throws Exception {
        List<String> hits = new CopyOnWriteArrayList<>();
        context = contextWith(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < 1000; i++) {
                    String name = "alert-" + i;
                    from("bus:monitor/" + name + "/firing").process(e -> hits.add(name));
                }
            }
        });
        context.createProducerTemplate().sendBody("bus", Event.builder("monitor/alert-7/firing").build());
        context.createProducerTemplate().sendBody("bus", Event.builder("monitor/alert-999/firing").build());
        await().atMost(5, TimeUnit.SECONDS).until(() -> hits.size() == 2);
        assertThat(hits).containsExactly("alert-7", "alert-999");
        long busThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("backplane-bus")).count();
        assertThat(busThreads).isEqualTo(1);
    }

    @Test
    void aProcessOnAnotherProcesssHubGetsOnlyTheTagsItsRoutesWantAndMayGoAway() throws Exception {
        // the process that runs the hub
        context = contextWith(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:other/**").to("mock:other");
            }
        });
        // a second process connected to it: its routes' literal prefixes become ZeroMQ subscriptions at the hub
        CamelContext remote = new DefaultCamelContext();
        BusComponent remoteBus = new BusComponent();
        remoteBus.setEmbeddedHub(false);
        remoteBus.setPublishPort(publishPort);
        remoteBus.setSubscribePort(subscribePort);
        remote.addComponent("bus", remoteBus);
        remote.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:app/**").to("mock:app");
            }
        });
        try (remote) {
            remote.start();
            try (Emitter emitter = Emitter.zeromq("tcp://127.0.0.1:" + publishPort, "test")) {
                for (int i = 0; i < 100; i++) {
                    emitter.emit("other/noise/" + i, null, Map.of());
                }
                emitter.emit("app/wanted", null, Map.of());
            }
            MockEndpoint app = remote.getEndpoint("mock:app", MockEndpoint.class);
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(app.getReceivedCounter())
                    .as("remote counters %s, hub counters %s", java.util.Arrays.toString(remoteBus.counters()),
                            java.util.Arrays.toString(context.getComponent("bus", BusComponent.class).counters()))
                    .isEqualTo(1));
            // one publisher, one pipe, in order: the hub filtered the noise before app/wanted; none reached it
            assertThat(remoteBus.counters()[0]).isEqualTo(1);
            // the hub's own process dispatched the noise to its route and parsed nothing else
            MockEndpoint other = context.getEndpoint("mock:other", MockEndpoint.class);
            await().atMost(5, TimeUnit.SECONDS).until(() -> other.getReceivedCounter() == 100);
            BusComponent bus = context.getComponent("bus", BusComponent.class);
            assertThat(bus.counters()[1]).isEqualTo(100);
        }
        // the remote subscriber went away: the hub and its own routes carry on
        try (Emitter emitter = Emitter.zeromq("tcp://127.0.0.1:" + publishPort, "test")) {
            emitter.emit("other/after", null, Map.of());
            emitter.emit("app/after", null, Map.of());
        }
        MockEndpoint other = context.getEndpoint("mock:other", MockEndpoint.class);
        await().atMost(5, TimeUnit.SECONDS).until(() -> other.getReceivedCounter() == 101);
    }

    @Test
    void healthCheckIsUpWhenConnected() throws Exception {
        context = startContext();
        var health = org.apache.camel.health.HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals("backplane-bus")).findFirst().orElseThrow();
        assertThat(health.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.UP);
        assertThat(health.getDetails()).containsKey("received");
    }

    @Test
    void stoppingTheContextFreesTheHubPorts() throws Exception {
        context = startContext();
        assertThat(Ports.canBind(publishPort)).isFalse();
        context.close();
        context = null;
        assertThat(Ports.canBind(publishPort)).isTrue();
        assertThat(Ports.canBind(subscribePort)).isTrue();
    }

    @Test
    void producerErrorsAreClear() throws Exception {
        context = contextWith(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:data").to("bus");
                from("direct:tagged").to("bus:action/ok");
            }
        });
        assertThatThrownBy(() -> context.createProducerTemplate().sendBody("direct:data", Map.of("a", 1)))
                .isInstanceOf(CamelExecutionException.class).rootCause().hasMessageContaining("name the tag");
        assertThatThrownBy(() -> context.createProducerTemplate().sendBody("direct:data", "{oops"))
                .hasStackTraceContaining("InvalidEventException: the body is not valid JSON");
        Object fromJsonText = context.createProducerTemplate().requestBody("direct:tagged", "{\"load\":0.9}");
        assertThat(((Event) fromJsonText).data()).containsEntry("load", 0.9);
        Object sent = context.createProducerTemplate().requestBody("direct:tagged", Map.of("a", 1));
        assertThat(sent).isInstanceOf(Event.class);
        assertThat(((Event) sent).type()).isEqualTo("action/ok");
        assertThatThrownBy(() -> context.createProducerTemplate().sendBody("direct:tagged",
                Map.of("big", "x".repeat(1024 * 1024))))
                .rootCause().hasMessageContaining("over the limit of 1048576 bytes");
    }

    @Test
    void unknownUriOptionsAndBadGlobsAreRejected() throws Exception {
        context = contextWith(new RouteBuilder() {
            @Override
            public void configure() {
            }
        });
        assertThatThrownBy(() -> context.getEndpoint("bus:a/b?colour=red"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:disk*/full").to("mock:x");
            }
        })).hasStackTraceContaining("whole segment");
    }

    @Test
    void backplanePropertiesConfigureTheBus() throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        int pub = Ports.free();
        int sub = Ports.free();
        ctx.getPropertiesComponent().setInitialProperties(new java.util.Properties() {
            {
                put("backplane.bus.zeromq.publish-port", String.valueOf(pub));
                put("backplane.bus.zeromq.subscribe-port", String.valueOf(sub));
            }
        });
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:x/**").to("mock:x");
            }
        });
        context = ctx;
        ctx.start();
        assertThat(Ports.canBind(pub)).isFalse();
        assertThat(ctx.getComponent("bus", BusComponent.class).getSubscribePort()).isEqualTo(sub);
    }
}
