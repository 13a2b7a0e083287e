package io.backplane.routes;

import io.backplane.test.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BusKameletsTest {

    static int freePort() {
        return Ports.free();
    }

    @Test
    void kameletsReadAndWriteTheBusFromTheClassPath() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            BusComponent bus = new BusComponent();
            bus.setPublishPort(freePort());
            bus.setSubscribePort(freePort());
            context.addComponent("bus", bus);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:backplane-bus-source?tag=action/**").to("mock:actions");
                    from("direct:emit").to("kamelet:backplane-bus-sink?tag=action/kamelet/ok");
                }
            });
            context.start();
            MockEndpoint actions = context.getEndpoint("mock:actions", MockEndpoint.class);
            actions.expectedMessageCount(1);
            context.createProducerTemplate().sendBody("direct:emit", Map.of("result", "done"));
            actions.assertIsSatisfied(5000);
            Event e = actions.getExchanges().get(0).getMessage().getBody(Event.class);
            assertThat(e.type()).isEqualTo("action/kamelet/ok");
            assertThat(e.data()).containsEntry("result", "done");
        }
    }
}
