package io.backplane.component.httpaction;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The YAML example of docs/components/http-action.md, exactly as written there, with the real bus in between. */
class HttpActionYamlRouteTest extends HttpActionTestSupport {

    static final String DOC_EXAMPLE = """
            - route:
                id: restart-on-probe-down
                from:
                  uri: bus:monitor/probe/*/down
                  steps:
                    - to:
                        uri: http-action:restart-service
                        parameters:
                          url: "{{ops.api.url}}/api/services/${data.service}/restart?host=${subject}"
                          body: '{"service": ${data.service}, "host": ${subject}, "reason": ${type}, "by": "backplane"}'
                          bearerToken: "{{ops.api.token}}"
                          headers: '{"X-Requested-By": "backplane"}'
                          retries: 3
                          backoff: 200ms
                          timeout: 5s
                          breakerFailures: 5
                          breakerOpenFor: 30s
                          deadLetterUri: bus
                    - to: bus
            - route:
                id: dead-letters
                from:
                  uri: bus:deadletter/http/**
                  steps:
                    - log: "dead letter from ${body[data][name]}: ${body[data][error]}"
                    - to: direct:ops-ticket
            """;

    @Test
    void theDocExampleRestartsTheServiceAndDeadLettersWhatFails() throws Exception {
        context.getPropertiesComponent().addInitialProperty("ops.api.url", server.base());
        context.getPropertiesComponent().addInitialProperty("ops.api.token", "t0ken&with=odd chars");
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        context.addComponent("bus", bus);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("http-action.yaml", DOC_EXAMPLE));
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:action/http/**").to("mock:results");
                from("direct:ops-ticket").to("mock:tickets");
            }
        });
        MockEndpoint results = context.getEndpoint("mock:results", MockEndpoint.class);
        MockEndpoint tickets = context.getEndpoint("mock:tickets", MockEndpoint.class);

        Event down = Event.builder("monitor/probe/web/down").subject("web01")
                .data(Map.of("service", "nginx/main")).build();
        template.sendBody("bus", down);
        await().atMost(Duration.ofSeconds(20)).until(() -> results.getReceivedCounter() == 1);
        Event ok = results.getReceivedExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(ok.type()).isEqualTo("action/http/restart-service/ok");
        assertThat(ok.causationId()).isEqualTo(down.id());
        TestServer.Received got = server.received().get(0);
        assertThat(got.rawPath()).isEqualTo("/api/services/nginx%2Fmain/restart");
        assertThat(got.rawQuery()).isEqualTo("host=web01");
        assertThat(got.header("Authorization")).isEqualTo("Bearer t0ken&with=odd chars");
        assertThat(got.header("X-Requested-By")).isEqualTo("backplane");
        assertThat(new ObjectMapper().readValue(got.body(), Map.class)).isEqualTo(Map.of(
                "service", "nginx/main", "host", "web01", "reason", "monitor/probe/web/down", "by", "backplane"));

        server.respondInTurn(503);
        Event again = Event.builder("monitor/probe/db/down").subject("db01")
                .data(Map.of("service", "postgres")).build();
        template.sendBody("bus", again);
        await().atMost(Duration.ofSeconds(20)).until(() -> tickets.getReceivedCounter() == 1);
        Event letter = tickets.getReceivedExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(letter.type()).isEqualTo("deadletter/http/restart-service");
        assertThat(letter.data().get("event")).isEqualTo(new java.util.LinkedHashMap<>(again));
        await().atMost(Duration.ofSeconds(20)).until(() -> results.getReceivedCounter() == 2);
        Event failed = results.getReceivedExchanges().get(1).getMessage().getBody(Event.class);
        assertThat(failed.type()).isEqualTo("action/http/restart-service/failed");
        assertThat(failed.data()).containsEntry("attempts", 4).containsEntry("deadLetter", true)
                .containsEntry("status", 503);
        assertThat(server.received()).hasSize(5);
    }

    @Test
    void twoClosingBracesInABodyNeedASpaceWhenTheUriHasPropertyPlaceholders() throws Exception {
        // once a URI has a {{property}} placeholder Camel reads every "}}" as the end of one; "} }" is the same JSON
        context.getPropertiesComponent().addInitialProperty("ops.api.url", server.base());
        String yaml = """
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - to:
                            uri: http-action:notify
                            parameters:
                              url: "{{ops.api.url}}/notify"
                              body: '{"text": ${data.text}, "labels": {"host": ${subject} } }'
                """;
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("braces.yaml", yaml));
        start();
        Event result = template.requestBody("direct:in", event(Map.of("text", "disk {{full}}")), Event.class);
        assertThat(result.type()).isEqualTo("action/http/notify/ok");
        assertThat(server.received().get(0).body())
                .isEqualTo("{\"text\": \"disk {{full}}\", \"labels\": {\"host\": \"web01\" } }");
    }
}
