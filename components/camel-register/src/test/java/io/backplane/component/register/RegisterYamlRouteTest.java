package io.backplane.component.register;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.core.client.Emitter;
import io.backplane.test.Ports;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The YAML routes of docs/components/register.md, read from the page itself and run on a real bus (the embedded
 * ZeroMQ hub on ports chosen at run time), fed by an Emitter as an application would.
 */
class RegisterYamlRouteTest {

    private static final Path DOC = Path.of("../../docs/components/register.md");

    private DefaultCamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    /** The ```yaml blocks of the doc page, in order. */
    static List<String> yamlBlocks() throws Exception {
        String page = Files.readString(DOC, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(page);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static Event disk(String host, String time, Object usedPct) {
        return Event.builder("host/" + host + "/disk").subject(host).time(time).source("test/agent")
                .data(usedPct == null ? Map.of("mount", "/") : Map.of("mount", "/", "used_pct", usedPct)).build();
    }

    private static Event request(String service, int durationMs) {
        return Event.builder("app/" + service + "/request").subject(service)
                .data(Map.of("service", service, "duration_ms", durationMs)).build();
    }

    @Test
    void theDocExamplesPredictDiskFillAlertOnSlowRequestsAndReadTheRegister() throws Exception {
        List<String> blocks = yamlBlocks();
        assertThat(blocks).as("examples on the page").hasSize(3);
        int publishPort = Ports.free();
        context = new DefaultCamelContext();
        BusComponent bus = new BusComponent();
        bus.setPublishPort(publishPort);
        bus.setSubscribePort(Ports.free());
        context.addComponent("bus", bus);
        for (int i = 0; i < blocks.size(); i++) {
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.fromString("register-doc-" + i + ".yaml", blocks.get(i)));
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:alert/**").to("mock:alerts");
            }
        });
        context.start();
        MockEndpoint alerts = context.getEndpoint("mock:alerts", MockEndpoint.class);

        List<Event> sent = new ArrayList<>();
        // web01 fills 5 % per 10 minutes: 80 % at 00:20, full at 01:00 -> 2400 s, alert on its third event
        sent.add(disk("web01", "2026-01-01T00:00:00Z", 70));
        sent.add(disk("web02", "2026-01-01T00:00:00Z", 40));
        sent.add(disk("web03", "2026-01-01T00:00:00Z", 90));
        sent.add(disk("web04", "2026-01-01T00:10:00Z", 90));
        sent.add(disk("web01", "2026-01-01T00:10:00Z", 75));
        sent.add(disk("web02", "2026-01-01T00:10:00Z", 40.5));
        sent.add(disk("web03", "2026-01-01T00:10:00Z", 85));
        sent.add(disk("web04", "2026-01-01T00:20:00Z", 99)); // fast, but only two samples: not yet
        sent.add(disk("web05", "2026-01-01T00:20:00Z", null)); // no used_pct: counted, rule not evaluated
        sent.add(disk("web02", "2026-01-01T00:20:00Z", "41")); // slow: full in about 20 h
        sent.add(disk("web03", "2026-01-01T00:20:00Z", 80)); // falling: moving away
        Event firing = disk("web01", "2026-01-01T00:20:00Z", 80);
        sent.add(firing);
        // shop: 20 fast requests, then slow ones; p95 of the last 100 passes 500 ms from the 22nd on (5 alerts)
        for (int i = 0; i < 20; i++) {
            sent.add(request("shop", 100));
            sent.add(request("api", 50));
        }
        for (int i = 0; i < 6; i++) {
            sent.add(request("shop", 1000));
        }
        try (Emitter emitter = Emitter.zeromq("tcp://127.0.0.1:" + publishPort, "test")) {
            for (Event e : sent) {
                emitter.emit(e);
            }
        }

        RegisterComponent registers = (RegisterComponent) context.getComponent("register");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(registers.getRegister("disk").stats().updates()).isEqualTo(11);
            assertThat(registers.getRegister("latency").stats().updates()).isEqualTo(46);
            assertThat(alerts.getReceivedCounter()).isEqualTo(6);
        });
        assertThat(registers.getRegister("disk").stats().missingValues()).isEqualTo(1);

        List<Exchange> received = alerts.getReceivedExchanges();
        Event diskAlert = received.stream().map(e -> e.getMessage().getBody(Event.class))
                .filter(e -> e.type().equals("alert/disk/filling")).findFirst().orElseThrow();
        assertThat(diskAlert.subject()).isEqualTo("web01");
        assertThat(diskAlert.causationId()).isEqualTo(firing.id());
        assertThat(diskAlert.data().get("host")).isEqualTo("web01");
        assertThat(((Number) diskAlert.data().get("used_pct")).doubleValue()).isEqualTo(80.0);
        assertThat(((Number) diskAlert.data().get("seconds_to_full")).doubleValue()).isCloseTo(2400, within(1e-6));
        assertThat(((Number) diskAlert.data().get("pct_per_s")).doubleValue()).isCloseTo(5.0 / 600, within(1e-12));
        List<Event> latencyAlerts = received.stream().map(e -> e.getMessage().getBody(Event.class))
                .filter(e -> e.type().equals("alert/latency/high")).toList();
        assertThat(latencyAlerts).hasSize(5).allSatisfy(e -> {
            assertThat(e.data().get("service")).isEqualTo("shop");
            assertThat(((Number) e.data().get("p95_ms")).doubleValue()).isGreaterThan(500);
        });
        // n = 22: position 0.95 * 21 = 19.95 between the 20th (100) and the 21st (1000) value
        assertThat(((Number) latencyAlerts.get(0).data().get("p95_ms")).doubleValue()).isCloseTo(955, within(1e-9));

        ProducerTemplate template = context.createProducerTemplate();
        String report = template.requestBodyAndHeader("direct:latency-report", null, "service", "shop", String.class);
        assertThat(report).isEqualTo("shop: 26 requests, mean " + (8000.0 / 26) + " ms, p95 1000.0 ms");
        String api = template.requestBodyAndHeader("direct:latency-report", null, "service", "api", String.class);
        assertThat(api).isEqualTo("api: 20 requests, mean 50.0 ms, p95 50.0 ms");
        assertThat(registers.getRegister("latency").stats().updates()).as("reads add nothing").isEqualTo(46);
    }
}
