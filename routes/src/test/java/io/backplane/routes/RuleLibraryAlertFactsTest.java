package io.backplane.routes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.backplane.component.state.StateComponent;
import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.gate.GatesRoutes;
import io.backplane.test.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * backplane-alert-facts-source keeps the facts a deploy gate reads: GET /gates/deploy-shop (GatesRoutes on a real
 * Vert.x server) flips from 200 to 423 when an alert for the shop fires, and back when it resolves.
 */
class RuleLibraryAlertFactsTest extends RuleLibraryBaseTest {

    /** docs/rules.md: the gates file. */
    static final String GATES = """
            # gates.yaml
            gates:
              deploy-shop:
                description: nothing is firing for the shop
                require:
                  - absent: alerts/firing/shop/
            """;

    /** docs/rules.md: the rule that keeps the alert facts current. */
    static final String RULES = """
            - route:
                id: alerts-as-facts
                from:
                  uri: kamelet:backplane-alert-facts-source
                  parameters:
                    ttl: 1d
                  steps:
                    - to: bus
            """;

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();
    int httpPort;

    void startWithGates() throws Exception {
        Path gates = dir.resolve("gates.yaml");
        Files.writeString(gates, GATES);
        Properties p = new Properties();
        p.put("backplane.state.file", dir.resolve("state.json").toString());
        p.put("backplane.gates.file", gates.toString());
        // flips come from fact changes, not from the periodic check
        p.put("backplane.gates.check-interval", "60s");
        CamelContext c = create(p, Map.of(), RULES, new GatesRoutes(), watch("alert/fact/*"), new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:gate/**").to("mock:gates");
            }
        });
        httpPort = Ports.free();
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost("127.0.0.1");
        conf.setBindPort(httpPort);
        c.addService(new VertxPlatformHttpServer(conf));
        c.start();
        context = c;
        template = c.createProducerTemplate();
    }

    HttpResponse<String> gate(String name) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/gates/" + name))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    Event alert(String system, String name, String status, String subject, Map<String, String> labels) {
        return publish("monitor/" + system + "/" + name + "/" + status, subject, Map.of("labels", labels));
    }

    @Test
    void firingAlertsCloseTheGateUntilTheyResolve() throws Exception {
        startWithGates();
        assertThat(gate("deploy-shop").statusCode()).isEqualTo(200);

        Map<String, String> shop = Map.of("alertname", "HighErrorRate", "service", "shop");
        Event firing = alert("alertmanager", "HighErrorRate", "firing", "shop-web:9100", shop);
        await().atMost(WAIT).until(() -> gate("deploy-shop").statusCode() == 423);
        Map<String, Object> closed = EventCodec.readObject(gate("deploy-shop").body(), "answer");
        assertThat(closed.get("reasons"))
                .isEqualTo(List.of("alerts/firing/shop/ has 1 fact: alerts/firing/shop/HighErrorRate"));
        Object stored = context.getComponent("state", StateComponent.class).store()
                .get("alerts/firing/shop/HighErrorRate").value();
        assertThat(stored).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) stored).get("id")).isEqualTo(firing.id());

        alert("alertmanager", "HighErrorRate", "firing", "shop-web:9100", shop);  // a repeat: renews the ttl only
        // no service label: the subject names the service
        alert("prometheus", "disk-free", "firing", "web01", Map.of("instance", "web01"));
        publish("monitor/probe/web/down", "web01", Map.of());                     // not an alert
        Event resolved = alert("alertmanager", "HighErrorRate", "resolved", "shop-web:9100", shop);
        await().atMost(WAIT).until(() -> gate("deploy-shop").statusCode() == 200);

        List<Event> changes = received("published", 3);
        assertThat(changes).extracting(e -> e.type() + " " + e.subject()).containsExactly(
                "alert/fact/set alerts/firing/shop/HighErrorRate",
                "alert/fact/set alerts/firing/web01/disk-free",
                "alert/fact/deleted alerts/firing/shop/HighErrorRate");
        assertThat(changes.get(0).causationId()).isEqualTo(firing.id());
        assertThat(changes.get(0).data()).isEqualTo(Map.of("key", "alerts/firing/shop/HighErrorRate", "op", "set",
                "service", "shop", "alertname", "HighErrorRate", "alertType", "monitor/alertmanager/HighErrorRate/firing"));
        assertThat(changes.get(2).causationId()).isEqualTo(resolved.id());

        // GatesRoutes announced both flips on the bus
        List<Event> flips = received("gates", 2);
        assertThat(flips).extracting(Event::type).containsExactly("gate/deploy-shop/closed", "gate/deploy-shop/open");
        assertThat(flips.get(0).data()).containsEntry("cause", "fact alerts/firing/shop/HighErrorRate set");
        assertThat(flips.get(1).data()).containsEntry("cause", "fact alerts/firing/shop/HighErrorRate deleted");
        assertThat(failures).isEmpty();
    }

    @Test
    void aTtlThatIsNotADurationStopsTheStart() {
        assertThatThrownBy(() -> start(memoryState(), Map.of(), """
                - route:
                    from:
                      uri: kamelet:backplane-alert-facts-source?ttl=soon
                      steps:
                        - to: mock:x
                """)).hasStackTraceContaining("ttl 'soon' is not a duration");
    }

    @Test
    void anAlertWithoutServiceOrSubjectIsAClearError() throws Exception {
        start(memoryState(), Map.of(), """
                - route:
                    from:
                      uri: kamelet:backplane-alert-facts-source
                      steps:
                        - to: mock:x
                """);
        publish(Event.builder("monitor/alertmanager/Orphan/firing").data(Map.of("labels", Map.of())).build());
        assertThat(failure("no value").getMessage()).contains("the event has no value for ${service}");
        assertThat(mock("x").getReceivedCounter()).isZero();
    }
}
