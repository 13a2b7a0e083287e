package io.backplane.component.bus;

import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.EventHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One YAML rulebook, one test, run on every transport. */
abstract class BusContractTestSupport {

    protected CamelContext context;

    /** Configures the bus component of a fresh context for the transport under test. */
    protected abstract void configure(BusComponent bus);

    protected CamelContext startContext() throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        BusComponent bus = new BusComponent();
        configure(bus);
        ctx.addComponent("bus", bus);
        PluginHelper.getRoutesLoader(ctx).loadRoutes(
                ResourceHelper.resolveMandatoryResource(ctx, "classpath:routes/rules.yaml"));
        ctx.start();
        return ctx;
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void yamlRulesReceiveMatchingEventsAndPublishResultsWithCausation() throws Exception {
        context = startContext();
        MockEndpoint severe = context.getEndpoint("mock:severe", MockEndpoint.class);
        MockEndpoint actions = context.getEndpoint("mock:actions", MockEndpoint.class);
        severe.expectedMessageCount(1);
        actions.expectedMessageCount(1);

        ProducerTemplate template = context.createProducerTemplate();
        Event severeAlert = Event.builder("monitor/alertmanager/HighLoad/firing").subject("web01")
                .data(Map.of("severity", 4)).build();
        template.sendBody("bus", Event.builder("monitor/alertmanager/HighLoad/firing").subject("web02")
                .data(Map.of("severity", 1)).build());
        template.sendBody("bus", Event.builder("monitor/alertmanager/HighLoad/resolved").subject("web01")
                .data(Map.of("severity", 4)).build());
        template.sendBody("bus", severeAlert);
        Event load = Event.builder("app/shop/client-load").subject("shop").data(Map.of("load", 0.93)).build();
        template.sendBody("bus", Event.builder("app/shop/client-load").subject("shop").data(Map.of("load", 0.1))
                .build());
        template.sendBody("bus", load);

        MockEndpoint.assertIsSatisfied(context, 20, java.util.concurrent.TimeUnit.SECONDS);
        Event got = severe.getExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(got.id()).isEqualTo(severeAlert.id());
        assertThat(got.subject()).isEqualTo("web01");
        assertThat(severe.getExchanges().get(0).getMessage().getHeader(EventHeaders.TYPE))
                .isEqualTo("monitor/alertmanager/HighLoad/firing");
        assertThat(severe.getExchanges().get(0).getMessage().getHeader(EventHeaders.SUBJECT)).isEqualTo("web01");

        Event action = actions.getExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(action.type()).isEqualTo("action/test/scaled");
        assertThat(action.causationId()).isEqualTo(load.id());
        assertThat(action.subject()).isEqualTo("shop");
        assertThat(action.data()).containsEntry("load", 0.93);

        // nothing else trickles in
        Thread.sleep(300);
        assertThat(severe.getReceivedCounter()).isEqualTo(1);
        assertThat(actions.getReceivedCounter()).isEqualTo(1);
    }
}
