package io.backplane.gate;

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

import io.backplane.component.state.StateTestSupport;
import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Deploy gates over real HTTP (Vert.x platform-http) and the bus: the examples of docs/components/gates.md. */
class GatesHttpTest extends StateTestSupport {

    /** docs/components/gates.md: the gates file. */
    static final String GATES = """
            gates:
              deploy-shop:
                description: no critical alert for shop, error rate low, not in maintenance
                require:
                  - absent: alerts/firing/shop/          # no fact under this prefix
                  - below: {fact: registers/error-rate/shop, value: 0.05}
                  - absent: maintenance/shop
                    reason: shop is in maintenance
              deploy-cart:
                require:
                  - absent: alerts/firing/cart/
                  - any:
                      - absent: freeze/all
                      - present: approvals/cart/
            """;

    /** docs/components/gates.md: the rules that keep the gate's facts current. */
    static final String FACT_RULES = """
            - route:
                id: firing-alerts-as-facts
                from:
                  uri: bus:monitor/alertmanager/*/firing
                  steps:
                    - to:
                        uri: state:set
                        parameters:
                          key: alerts/firing/${data.labels.service}/${data.labels.alertname}
                          ttl: 1d
            - route:
                id: resolved-alerts-deleted
                from:
                  uri: bus:monitor/alertmanager/*/resolved
                  steps:
                    - to: state:delete?key=alerts/firing/${data.labels.service}/${data.labels.alertname}
            - route:
                id: error-rate-as-fact
                from:
                  uri: bus:app/*/error-rate
                  steps:
                    - to:
                        uri: state:set
                        parameters:
                          key: registers/error-rate/${subject}
                          value: ${data.rate}
                          ttl: 15m
            - route:
                id: maintenance-window
                from:
                  uri: bus:ops/maintenance/start
                  steps:
                    - to:
                        uri: state:set
                        parameters:
                          key: maintenance/${subject}
                          value: ${data.reason}
                          ttl: ${data.duration}
            """;

    /** docs/components/gates.md: a rule that asks a gate, and one that hears gates flip. */
    static final String GATE_RULES = """
            - route:
                id: deploy-when-allowed
                from:
                  uri: bus:ci/shop/build/succeeded
                  steps:
                    - to: state:gates?gate=deploy-shop
                    - filter:
                        simple: ${header.CamelStateGateOpen}
                        steps:
                          - to: direct:deploy-shop
            - route:
                id: announce-gate-changes
                from:
                  uri: bus:gate/*/*
                  steps:
                    - setBody:
                        simple: "gate ${body[data][gate]} is ${body[data][state]} (${body[data][cause]}): ${body[data][reasons]}"
                    - to: direct:chat-notify
            """;

    private final HttpClient http = HttpClient.newHttpClient();

    Properties gateProps() throws Exception {
        Path file = dir.resolve("gates.yaml");
        Files.writeString(file, GATES);
        Properties p = properties();
        p.put("backplane.gates.file", file.toString());
        // flips come from fact changes (the purge announces expiries every 100 ms), not from the periodic check
        p.put("backplane.gates.check-interval", "60s");
        return p;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> json(HttpResponse<String> r) {
        return EventCodec.readObject(r.body(), "answer");
    }

    RouteBuilder mocks() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:gate/**").to("mock:gate-events");
                from("direct:deploy-shop").to("mock:deployed");
                from("direct:chat-notify").to("mock:chat");
            }
        };
    }

    @Test
    void gateAnswersOpenClosedAndUnknownOverHttp() throws Exception {
        start(gateProps(), true, new GatesRoutes(), FACT_RULES);
        // no error-rate fact yet: closed (a missing number fails 'below')
        HttpResponse<String> closed = get("/gates/deploy-shop");
        assertThat(closed.statusCode()).isEqualTo(423);
        assertThat(closed.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(closed)).containsEntry("gate", "deploy-shop").containsEntry("open", false)
                .containsEntry("reasons", List.of("registers/error-rate/shop is not set (a missing fact fails "
                                                  + "'below'; 'missing: pass' changes that)"));

        publish("app/shop/error-rate", "shop", Map.of("rate", 0.01));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/gates/deploy-shop").statusCode() == 200);
        Map<String, Object> open = json(get("/gates/deploy-shop"));
        assertThat(open).containsEntry("open", true).containsEntry("state", "open")
                .containsEntry("reasons", List.of())
                .containsEntry("description", "no critical alert for shop, error rate low, not in maintenance")
                .containsKey("checked");

        publish("monitor/alertmanager/HighErrorRate/firing", "shop",
                Map.of("labels", Map.of("alertname", "HighErrorRate", "service", "shop")));
        publish("app/shop/error-rate", "shop", Map.of("rate", 0.09));
        publish("ops/maintenance/start", "shop", Map.of("reason", "db migration", "duration", "1h"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ((List<?>) json(get("/gates/deploy-shop"))
                .get("reasons")).size() == 3);
        HttpResponse<String> locked = get("/gates/deploy-shop");
        assertThat(locked.statusCode()).isEqualTo(423);
        assertThat(json(locked).get("reasons")).isEqualTo(List.of(
                "alerts/firing/shop/ has 1 fact: alerts/firing/shop/HighErrorRate",
                "registers/error-rate/shop is 0.09, not below 0.05",
                "shop is in maintenance (maintenance/shop is set: \"db migration\" (until "
                + store().get("maintenance/shop").expiresText() + "))"));

        HttpResponse<String> unknown = get("/gates/deploy-nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown)).containsEntry("error", "no gate named 'deploy-nothing'")
                .containsEntry("gates", List.of("deploy-cart", "deploy-shop"));

        HttpResponse<String> all = get("/gates");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all)).containsEntry("open", false);
        assertThat((List<Map<String, Object>>) json(all).get("gates")).extracting(g -> g.get("gate") + " " + g.get("open"))
                .containsExactly("deploy-cart true", "deploy-shop false");

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                                                                                 + "/gates/deploy-shop"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void gateFlipsAreEventsOnTheBus() throws Exception {
        start(gateProps(), true, new GatesRoutes(), FACT_RULES, GATE_RULES, mocks());
        MockEndpoint events = context.getEndpoint("mock:gate-events", MockEndpoint.class);
        MockEndpoint chat = context.getEndpoint("mock:chat", MockEndpoint.class);

        publish("app/shop/error-rate", "shop", Map.of("rate", 0.01));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.getReceivedCounter() == 1);
        publish("monitor/alertmanager/HighErrorRate/firing", "shop",
                Map.of("labels", Map.of("alertname", "HighErrorRate", "service", "shop")));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.getReceivedCounter() == 2);
        publish("monitor/alertmanager/HighErrorRate/resolved", "shop",
                Map.of("labels", Map.of("alertname", "HighErrorRate", "service", "shop")));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.getReceivedCounter() == 3);
        // a maintenance window that runs out: the TTL expiry opens the gate again, and says so
        publish("ops/maintenance/start", "shop", Map.of("reason", "reboot", "duration", "1s"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.getReceivedCounter() == 5);

        List<Event> flips = events.getExchanges().stream().map(x -> x.getMessage().getBody(Event.class)).toList();
        assertThat(flips).extracting(Event::type).containsExactly("gate/deploy-shop/open", "gate/deploy-shop/closed",
                "gate/deploy-shop/open", "gate/deploy-shop/closed", "gate/deploy-shop/open");
        assertThat(flips).extracting(e -> e.data().get("cause")).containsExactly(
                "fact registers/error-rate/shop set", "fact alerts/firing/shop/HighErrorRate set",
                "fact alerts/firing/shop/HighErrorRate deleted", "fact maintenance/shop set",
                "fact maintenance/shop expired");
        Event closed = flips.get(1);
        assertThat(closed.subject()).isEqualTo("deploy-shop");
        assertThat(closed.source()).isEqualTo("backplane/gates");
        assertThat(closed.data()).containsEntry("gate", "deploy-shop").containsEntry("open", false)
                .containsEntry("state", "closed").containsEntry("previous", "open")
                .containsEntry("reasons", List.of("alerts/firing/shop/ has 1 fact: alerts/firing/shop/HighErrorRate"))
                .containsKey("checked").containsKey("description");
        await().atMost(Duration.ofSeconds(10)).until(() -> chat.getReceivedCounter() == 5);
        assertThat(chat.getExchanges().get(1).getMessage().getBody(String.class)).isEqualTo(
                "gate deploy-shop is closed (fact alerts/firing/shop/HighErrorRate set): "
                + "[alerts/firing/shop/ has 1 fact: alerts/firing/shop/HighErrorRate]");
        // the other gate did not flip: no event for it
        assertThat(flips).noneMatch(e -> e.type().contains("deploy-cart"));
    }

    @Test
    void aRuleAsksTheGateBeforeItDeploys() throws Exception {
        start(gateProps(), false, FACT_RULES, GATE_RULES, mocks());
        MockEndpoint deployed = context.getEndpoint("mock:deployed", MockEndpoint.class);
        publish("ci/shop/build/succeeded", "shop", Map.of("build", 1)); // closed: no error-rate fact
        publish("app/shop/error-rate", "shop", Map.of("rate", 0.01));
        await().atMost(Duration.ofSeconds(10)).until(() -> store().get("registers/error-rate/shop") != null);
        publish("ci/shop/build/succeeded", "shop", Map.of("build", 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> deployed.getReceivedCounter() == 1);
        assertThat(deployed.getExchanges().get(0).getMessage().getBody(Event.class).data()).containsEntry("build", 2);
        assertThat(deployed.getExchanges().get(0).getMessage().getHeader("CamelStateGateReasons")).isEqualTo(List.of());
    }

    @Test
    void aTokenIsRequiredWhenConfigured() throws Exception {
        Properties p = gateProps();
        p.put("backplane.gates.token", "s3cret");
        start(p, true, new GatesRoutes());
        HttpResponse<String> none = get("/gates/deploy-cart");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"backplane\"");
        assertThat(json(none)).containsEntry("error", "missing Authorization header");
        HttpResponse<String> wrong = get("/gates", "Authorization", "Bearer nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong)).containsEntry("error", "wrong credentials");
        HttpResponse<String> ok = get("/gates/deploy-cart", "Authorization", "Bearer s3cret");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization"));
        assertThat(get("/gates", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
    }

    @Test
    void aBadGatesFileFailsTheStartNamingTheGate() throws Exception {
        Path file = dir.resolve("gates.yaml");
        Files.writeString(file, GATES.replace("value: 0.05", "value: low"));
        Properties p = properties();
        p.put("backplane.gates.file", file.toString());
        CamelContext c = create(p, false, new RouteBuilder() {
            @Override
            public void configure() {
                from("state:gates").to("mock:x");
            }
        });
        assertThatThrownBy(c::start).hasStackTraceContaining("gates file " + file + ": gate 'deploy-shop', condition 2 "
                                                             + "(below): 'value' must be a number, got \"low\"");
        c.stop();
        // nothing was opened: the state file was not even created
        assertThat(dir.resolve("data/state.json")).doesNotExist();

        p.put("backplane.gates.file", dir.resolve("missing.yaml").toString());
        CamelContext missing = create(p, false, new RouteBuilder() {
            @Override
            public void configure() {
                from("state:gates").to("mock:x");
            }
        });
        assertThatThrownBy(missing::start).hasStackTraceContaining("gates file " + dir.resolve("missing.yaml")
                                                                   + " does not exist (backplane.gates.file)");
        missing.stop();

        Files.writeString(file, GATES);
        p.put("backplane.gates.file", file.toString());
        CamelContext unknownGate = create(p, false, new RouteBuilder() {
            @Override
            public void configure() {
                from("state:gates?gate=deploy-shopp").to("mock:x");
            }
        });
        assertThatThrownBy(unknownGate::start).hasStackTraceContaining("state:gates: no gate named 'deploy-shopp' in "
                                                                       + file + " (gates: [deploy-cart, deploy-shop])");
        unknownGate.stop();
    }

    @Test
    void theGatesFileIsFoundInTheWorkingDirectoryOrConf() throws Exception {
        Path work = dir.resolve("work");
        Path home = dir.resolve("home");
        Files.createDirectories(work.resolve("conf"));
        Files.createDirectories(home.resolve("conf"));
        assertThat(io.backplane.component.state.StateComponentAccess.resolveGatesFile(null, work, home.toString()))
                .isNull();
        Files.writeString(home.resolve("conf/gates.yaml"), GATES);
        assertThat(io.backplane.component.state.StateComponentAccess.resolveGatesFile(null, work, home.toString()))
                .isEqualTo(home.resolve("conf/gates.yaml"));
        Files.writeString(work.resolve("conf/gates.yaml"), GATES);
        assertThat(io.backplane.component.state.StateComponentAccess.resolveGatesFile(null, work, home.toString()))
                .isEqualTo(work.resolve("conf/gates.yaml"));
        Files.writeString(work.resolve("gates.yaml"), GATES);
        assertThat(io.backplane.component.state.StateComponentAccess.resolveGatesFile(null, work, null))
                .isEqualTo(work.resolve("gates.yaml"));
        assertThat(io.backplane.component.state.StateComponentAccess.resolveGatesFile("none", work, null)).isNull();
        assertThat(io.backplane.component.state.StateComponentAccess.resolveGatesFile("other.yaml", work, null))
                .isEqualTo(work.resolve("other.yaml"));
    }
}
