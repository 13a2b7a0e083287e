package io.backplane.language.ev;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One YAML route per rule on the real bus (embedded ZeroMQ hub on free loopback ports): the bus routes each event
 * by its tag, the ev filter decides. This is the shape the rules-routes benchmarks measure.
 */
class EvBusRulesTest {

    private CamelContext context;

    @AfterEach
    void close() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void oneRoutePerRuleFiresOnlyForItsTagAndSevereEvents() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            yaml.append("""
                    - route:
                        id: rule-%1$d
                        from:
                          uri: bus:monitor/alert/alert-%1$d/firing
                          steps:
                            - filter:
                                ev: data.alert.severity > 2
                                steps:
                                  - setHeader:
                                      name: rule
                                      constant: "%1$d"
                                  - process:
                                      ref: fired
                    """.formatted(i));
        }
        Map<String, LongAdder> firedByRule = new java.util.concurrent.ConcurrentHashMap<>();
        LongAdder fired = new LongAdder();
        context = new DefaultCamelContext();
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        context.addComponent("bus", bus);
        context.getRegistry().bind("fired", (Processor) e -> {
            Event event = e.getMessage().getBody(Event.class);
            // the route that fired is the one for the event's alert
            String expected = ((Map<?, ?>) event.data().get("alert")).get("name").toString().substring(6);
            firedByRule.computeIfAbsent(e.getMessage().getHeader("rule", String.class), k -> new LongAdder())
                    .increment();
            if (expected.equals(e.getMessage().getHeader("rule"))) {
                fired.increment();
            }
        });
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("rules.yaml", yaml.toString()));
        context.start();

        ProducerTemplate template = context.createProducerTemplate();
        int severe = 0;
        for (int n = 0; n < 500; n++) {
            int name = (n * 37) % 120;        // 100 names with a rule, 20 without
            int severity = 1 + n % 5;         // 3, 4 and 5 are severe
            template.sendBody("bus", Event.builder("monitor/alert/alert-" + name + "/firing")
                    .data(Map.of("alert", Map.of("name", "alert-" + name, "severity", severity))).build());
            if (name < 100 && severity > 2) {
                severe++;
            }
        }
        int expected = severe;
        await().atMost(20, TimeUnit.SECONDS).until(() -> bus.counters()[0] >= 500);
        await().atMost(10, TimeUnit.SECONDS).until(() -> fired.sum() == expected);
        assertThat(firedByRule.values().stream().mapToLong(LongAdder::sum).sum()).isEqualTo(expected);
        assertThat(bus.counters()[2]).isZero();
    }
}
