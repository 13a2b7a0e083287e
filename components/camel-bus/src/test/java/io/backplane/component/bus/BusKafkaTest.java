package io.backplane.component.bus;

import io.backplane.test.Ports;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same rulebook as on ZeroMQ, against a real in-process KRaft broker. */
class BusKafkaTest extends BusContractTestSupport {

    private static KafkaClusterTestKit cluster;
    private static int run;

    @BeforeAll
    static void startKafka() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("num.partitions", "3")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected void configure(BusComponent bus) {
        bus.setTransport("kafka");
        bus.setKafkaBrokers(cluster.bootstrapServers());
        bus.setKafkaTopic("events-" + (++run));
        bus.setConnectTimeout(30_000);
    }

    @Test
    void brokerUnavailableAtStartGivesAClearErrorAndNoCrash() throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        BusComponent bus = new BusComponent();
        bus.setTransport("kafka");
        bus.setKafkaBrokers("127.0.0.1:" + Ports.free());
        bus.setConnectTimeout(1500);
        ctx.addComponent("bus", bus);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:a/**").to("mock:a");
                from("direct:in").to("bus");
            }
        });
        context = ctx;
        ctx.start(); // does not throw, does not loop: the consumer keeps retrying in the background
        assertThat(ctx.isStarted()).isTrue();
        var health = org.apache.camel.health.HealthCheckHelper.invoke(ctx).stream()
                .filter(r -> r.getCheck().getId().equals("backplane-bus")).findFirst().orElseThrow();
        assertThat(health.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.DOWN);
        assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("not connected: kafka"));
        assertThatThrownBy(() -> ctx.createProducerTemplate().sendBody("direct:in",
                Event.builder("a/b").data(Map.of()).build()))
                .isInstanceOf(CamelExecutionException.class)
                .hasStackTraceContaining("not present in metadata after 1500 ms");
    }
}
