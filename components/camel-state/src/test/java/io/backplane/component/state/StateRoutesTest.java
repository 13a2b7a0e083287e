package io.backplane.component.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** state: in routes: the YAML examples of docs/components/state.md as written there, restarts and errors. */
class StateRoutesTest extends StateTestSupport {

    /** docs/components/state.md: maintenance windows that remediation respects. */
    static final String MAINTENANCE = """
            - route:
                id: maintenance-start
                from:
                  uri: bus:ops/maintenance/start
                  steps:
                    - to:
                        uri: state:set
                        parameters:
                          key: maintenance/${subject}
                          value: ${data.reason}
                          ttl: 2h
            - route:
                id: maintenance-end
                from:
                  uri: bus:ops/maintenance/end
                  steps:
                    - to: state:delete?key=maintenance/${subject}
            - route:
                id: restart-when-down
                from:
                  uri: bus:monitor/probe/*/down
                  steps:
                    - to: state:get?key=maintenance/${subject}
                    - choice:
                        when:
                          - simple: ${header.CamelStateFound}
                            steps:
                              - log: "${header.CamelStateKey}: ${header.CamelStateValue}, not restarting ${header.CamelCloudEventSubject}"
                        otherwise:
                          steps:
                            - to: direct:restart-service
            """;

    /** docs/components/state.md: the last firing alerts per service, listed for a chat command. */
    static final String ALERTS = """
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
                id: chat-alerts-command
                from:
                  uri: bus:chat/*/command/alerts
                  steps:
                    - to: state:list?prefix=alerts/firing/${data.args.service}/
                    - setBody:
                        simple: "${header.CamelStateCount} alerts firing for ${body[data][args][service]}: ${header.CamelStateFacts.keySet()}"
                    - to: direct:chat-reply
            """;

    /** docs/components/state.md: change events. */
    static final String CHANGES = """
            - route:
                id: maintenance-changes
                from:
                  uri: state:changes?prefix=maintenance/
                  steps:
                    - to: bus
            """;

    /** docs/rules/state.md: act the first time only, until the host has been quiet for a day. */
    static final String FIRST_TIME = """
            - route:
                id: first-disk-warning-per-host
                from:
                  uri: bus:monitor/alertmanager/DiskAlmostFull/firing
                  steps:
                    - to: state:set?key=notified/disk/${subject}&value=true&ttl=1d
                    - filter:
                        simple: ${header.CamelStateFound} == false
                        steps:
                          - to: direct:open-ticket
            """;

    private Properties props() {
        return properties();
    }

    @Test
    void maintenanceExampleSkipsHostsInMaintenance() throws Exception {
        start(props(), false, MAINTENANCE);
        MockEndpoint restart = context.getEndpoint("mock:restarted", MockEndpoint.class);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:restart-service").to("mock:restarted");
            }
        });
        publish("ops/maintenance/start", "web01", Map.of("reason", "disk swap"));
        await().atMost(Duration.ofSeconds(10)).until(() -> store().get("maintenance/web01") != null);
        Fact fact = store().get("maintenance/web01");
        assertThat(fact.value()).isEqualTo("disk swap");
        assertThat(fact.expires() - fact.updated()).isEqualTo(2 * 3600_000L);

        restart.expectedBodiesReceivedInAnyOrder(List.of("web02"));
        publish("monitor/probe/http/down", "web01", Map.of());
        publish("monitor/probe/http/down", "web02", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> restart.getReceivedCounter() >= 1);
        assertThat(((Event) restart.getExchanges().get(0).getMessage().getBody()).subject()).isEqualTo("web02");

        publish("ops/maintenance/end", "web01", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> store().get("maintenance/web01") == null);
        publish("monitor/probe/http/down", "web01", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> restart.getReceivedCounter() == 2);
        // web01 was skipped while in maintenance: the only restarts are web02, then web01 after the end
        assertThat(restart.getExchanges()).extracting(x -> x.getMessage().getBody(Event.class).subject())
                .containsExactly("web02", "web01");
    }

    @Test
    void alertsExampleKeepsTheFiringAlertsPerService() throws Exception {
        start(props(), false, ALERTS, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat-reply").to("mock:reply");
            }
        });
        publish("monitor/alertmanager/HighErrorRate/firing", "shop",
                Map.of("labels", Map.of("alertname", "HighErrorRate", "service", "shop")));
        publish("monitor/alertmanager/DiskFull/firing", "db01",
                Map.of("labels", Map.of("alertname", "DiskFull", "service", "shop")));
        publish("monitor/alertmanager/Latency/firing", "cart",
                Map.of("labels", Map.of("alertname", "Latency", "service", "cart")));
        await().atMost(Duration.ofSeconds(10)).until(() -> store().list("alerts/firing/").size() == 3);
        publish("monitor/alertmanager/DiskFull/resolved", "db01",
                Map.of("labels", Map.of("alertname", "DiskFull", "service", "shop")));
        await().atMost(Duration.ofSeconds(10)).until(() -> store().list("alerts/firing/").size() == 2);
        Fact alert = store().get("alerts/firing/shop/HighErrorRate");
        assertThat(alert.value()).isInstanceOf(Map.class);
        assertThat((Map<String, Object>) alert.value()).containsEntry("type",
                "monitor/alertmanager/HighErrorRate/firing");

        MockEndpoint reply = context.getEndpoint("mock:reply", MockEndpoint.class);
        reply.expectedBodiesReceived("1 alerts firing for shop: [alerts/firing/shop/HighErrorRate]");
        publish("chat/slack/command/alerts", "alice", Map.of("args", Map.of("service", "shop")));
        reply.assertIsSatisfied(10_000);
    }

    @Test
    void getListAndDeleteFillHeadersOrTheBody() throws Exception {
        start(props(), false, """
                - route:
                    from:
                      uri: direct:get
                      steps:
                        - to: state:get?key=k/${subject}&replaceBody=true
                - route:
                    from:
                      uri: direct:list
                      steps:
                        - to: state:list?prefix=k/&replaceBody=true
                - route:
                    from:
                      uri: direct:delete-prefix
                      steps:
                        - to: state:delete?prefix=k/
                """);
        store().set("k/a", Map.of("n", 1), 3_600_000);
        store().set("k/b", "two", 0);
        Event a = Event.builder("t/x").subject("a").build();
        Exchange got = template.send("direct:get", x -> x.getMessage().setBody(a));
        assertThat(got.getMessage().getBody()).isEqualTo(Map.of("n", 1));
        assertThat(got.getMessage().getHeader(StateConstants.FOUND)).isEqualTo(true);
        assertThat(got.getMessage().getHeader(StateConstants.KEY)).isEqualTo("k/a");
        assertThat(got.getMessage().getHeader(StateConstants.EXPIRES, String.class)).endsWith("Z");
        Exchange missing = template.send("direct:get", x -> x.getMessage().setBody(
                Event.builder("t/x").subject("zz").build()));
        assertThat(missing.getMessage().getBody()).isNull();
        assertThat(missing.getMessage().getHeader(StateConstants.FOUND)).isEqualTo(false);

        Exchange list = template.send("direct:list", x -> x.getMessage().setBody(a));
        assertThat(list.getMessage().getBody()).isEqualTo(Map.of("k/a", Map.of("n", 1), "k/b", "two"));
        assertThat(list.getMessage().getHeader(StateConstants.COUNT)).isEqualTo(2);

        Exchange deleted = template.send("direct:delete-prefix", x -> x.getMessage().setBody(a));
        assertThat(deleted.getMessage().getHeader(StateConstants.COUNT)).isEqualTo(2);
        assertThat(deleted.getMessage().getBody()).isSameAs(a);
        assertThat(store().list("")).isEmpty();
    }

    @Test
    void valuesComeFromTheBodyTheValueOptionOrAHeader() throws Exception {
        start(props(), false, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:body").to("state:set?key=body/${subject}");
                from("direct:literal").to("state:set?key=literal/${subject}&value=${data.text}");
                from("direct:raw").to("state:set?key=raw/${subject}&value=${data.alert}");
                from("direct:header").to("state:set?key=header/${subject}&valueHeader=Mean");
                from("direct:json").to("state:set?key=json/${subject}&value={\"host\":\"${subject}\",\"n\":${data.n}}");
                from("direct:text").to("state:set?key=text/${subject}&value=host ${subject}");
                from("direct:fixed").to("state:set?key=fixed/${subject}&value=true");
                from("direct:after-setbody").setBody(constant(0.25)).to("state:set?key=rate/${subject}");
            }
        });
        Event e = Event.builder("t/x").subject("s1")
                .data(Map.of("alert", Map.of("name", "A", "severity", 3), "text", "{\"a\":[1,2]}")).build();
        template.sendBody("direct:body", e);
        assertThat(store().get("body/s1").value()).isEqualTo(e); // the whole event, as a map
        // one placeholder: the field as it is (a string stays a string, even when it looks like JSON)
        template.sendBody("direct:literal", e);
        assertThat(store().get("literal/s1").value()).isEqualTo("{\"a\":[1,2]}");
        // text around placeholders: filled in, then read as JSON when it is JSON
        template.sendBody("direct:json", Event.builder("t/x").subject("s2").data(Map.of("n", 3)).build());
        assertThat(store().get("json/s2").value()).isEqualTo(Map.of("host", "s2", "n", 3));
        template.sendBody("direct:text", Event.builder("t/x").subject("s3").build());
        assertThat(store().get("text/s3").value()).isEqualTo("host s3");
        template.sendBody("direct:raw", e);
        assertThat(store().get("raw/s1").value()).isEqualTo(Map.of("name", "A", "severity", 3));
        template.sendBodyAndHeader("direct:header", e, "Mean", 0.031);
        assertThat(store().get("header/s1").value()).isEqualTo(0.031);
        template.sendBody("direct:fixed", e);
        assertThat(store().get("fixed/s1").value()).isEqualTo(true);
        // the body no longer is the event: ${subject} comes from the CloudEvents headers
        template.sendBodyAndHeader("direct:after-setbody", e, "CamelCloudEventSubject", "s1");
        assertThat(store().get("rate/s1").value()).isEqualTo(0.25);
    }

    @Test
    void factsSurviveARestartOfTheContextWithTheirTtl() throws Exception {
        CamelContext first = start(props(), false, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:short").to("state:set?key=short/${subject}&value=x&ttl=1500ms");
                from("direct:long").to("state:set?key=long/${subject}&value=y&ttl=1h");
                from("direct:forever").to("state:set?key=forever/${subject}&value=z");
            }
        });
        Event e = Event.builder("t/x").subject("web01").build();
        template.sendBody("direct:short", e);
        template.sendBody("direct:long", e);
        template.sendBody("direct:forever", e);
        long expiresLong = store().get("long/web01").expires();
        stop(first);

        start(props(), false, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:get").to("state:get?key=${subject}&replaceBody=true");
            }
        });
        assertThat(template.requestBody("direct:get", Event.builder("t/x").subject("long/web01").build()))
                .isEqualTo("y");
        assertThat(store().get("long/web01").expires()).isEqualTo(expiresLong);
        assertThat(store().get("forever/web01").value()).isEqualTo("z");
        // the short TTL runs out in the new context as it would have in the old one
        await().atMost(Duration.ofSeconds(10)).until(() -> store().get("short/web01") == null);
        assertThat(store().list("")).extracting(Fact::key).containsExactly("forever/web01", "long/web01");
    }

    @Test
    void aCorruptStateFileStopsTheStartUnlessStartingEmptyIsAllowed() throws Exception {
        Path file = dir.resolve("data/state.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"format\":\"backplane-state\",\"version\":1}\n{\"op\":\"set\",\"key\":\"a\"\n"
                                + "{\"op\":\"del\",\"key\":\"a\",\"at\":1}\n");
        RouteBuilder routes = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:set").to("state:set?key=a&value=1");
            }
        };
        CamelContext failing = create(props(), false, routes);
        assertThatThrownBy(failing::start).hasStackTraceContaining("state file " + file + " is corrupt: line 2 is "
                                                                   + "not valid JSON: Unexpected end-of-input: "
                                                                   + "expected close marker for Object. Backplane")
                .hasStackTraceContaining("set backplane.state.on-corrupt=start-empty to start with no facts");
        assertThat(Files.readString(file)).contains("\"key\":\"a\"\n");
        failing.stop();

        Properties allow = props();
        allow.put("backplane.state.on-corrupt", "start-empty");
        start(allow, false, routes);
        assertThat(store().size()).isZero();
        try (var files = Files.list(file.getParent())) {
            // the copy kept by the failed start is the one copy: the identical file was not moved aside again
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("state.json"))
                    .filter(n -> !n.endsWith(".lock")).sorted())
                    .hasSize(2).element(1).asString().startsWith("state.json.corrupt-");
        }
        template.sendBody("direct:set", Event.builder("t/x").build());
        assertThat(store().get("a").value()).isEqualTo(1);
    }

    @Test
    void badEndpointOptionsAreNamed() throws Exception {
        start(props(), false);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("state:set", "state:set needs a key, e.g. state:set?key=maintenance/${subject}");
        cases.put("state:put?key=a", "state:put is not an operation: use set, get, delete, list, gates or changes");
        cases.put("state:set?key=a&ttl=soon", "state:set: ttl 'soon' is not a duration like 30s, 15m, 2h, 1d");
        cases.put("state:set?key=a&ttl=0", "state:set: ttl must be positive");
        cases.put("state:set?key=a&value=1&valueHeader=X", "value and valueHeader cannot both be set");
        cases.put("state:get?key=a&ttl=1h", "state:get does not take the option ttl");
        cases.put("state:delete", "state:delete needs either key (one fact) or prefix");
        cases.put("state:delete?key=a&prefix=b/", "state:delete needs either key (one fact) or prefix");
        cases.put("state:list?key=a", "state:list does not take the option key");
        cases.put("state:set?key=${data.", "template has an unclosed '${'");
        cases.put("state:changes?prefix=a/${subject}/", "prefix cannot hold placeholders");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThatThrownBy(() -> context.getEndpoint(c.getKey())).as(c.getKey())
                    .hasStackTraceContaining(c.getValue());
        }
        assertThatThrownBy(() -> context.getEndpoint("state:changes").createProducer())
                .hasMessageContaining("state:changes can only be used in from:");
        assertThatThrownBy(() -> context.getEndpoint("state:gates").createProducer())
                .hasMessageContaining("state:gates as a producer needs gate=NAME");
        assertThatThrownBy(() -> context.getEndpoint("state:set?key=a").createConsumer(x -> { }))
                .hasMessageContaining("state:set cannot be used in from:");
    }

    @Test
    void writesThatCannotBeDoneFailTheExchangeWithTheReason() throws Exception {
        Properties p = props();
        p.put("backplane.state.max-keys", "2");
        start(p, false, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:set").to("state:set?key=svc/${data.service}");
                from("direct:header").to("state:set?key=h&valueHeader=Mean");
                from("direct:ttl").to("state:set?key=m/${subject}&value=true&ttl=${data.duration}");
            }
        });
        assertThatThrownBy(() -> template.sendBody("direct:set", Event.builder("t/x").build()))
                .isInstanceOf(CamelExecutionException.class)
                .hasRootCauseMessage("the event has no value for ${data.service}");
        assertThatThrownBy(() -> template.sendBody("direct:set",
                Event.builder("t/x").data(Map.of("service", "")).build()))
                .hasRootCauseMessage("key 'svc/' ends with '/': a key ending with '/' is a prefix (did a template "
                                     + "value come out empty?)");
        assertThatThrownBy(() -> template.sendBody("direct:header", Event.builder("t/x").build()))
                .hasRootCauseMessage("state:set h: the header Mean (valueHeader) is not set");
        assertThatThrownBy(() -> template.sendBody("direct:ttl",
                Event.builder("t/x").subject("web01").data(Map.of("duration", "a while")).build()))
                .hasRootCauseMessage("state:set: ttl 'a while' is not a duration like 30s, 15m, 2h, 1d (from "
                                     + "ttl=${data.duration})");
        template.sendBody("direct:ttl", Event.builder("t/x").subject("web01").data(Map.of("duration", "90m")).build());
        assertThat(store().get("m/web01").expires() - store().get("m/web01").updated()).isEqualTo(90 * 60_000L);
        store().delete("m/web01");
        template.sendBody("direct:set", Map.of("data", Map.of("service", "a")));
        template.sendBody("direct:set", Map.of("data", Map.of("service", "b")));
        assertThatThrownBy(() -> template.sendBody("direct:set", Map.of("data", Map.of("service", "c"))))
                .hasRootCauseInstanceOf(StateException.Full.class)
                .hasRootCauseMessage("state is full: 2 facts, the limit of backplane.state.max-keys; refused to set "
                                     + "svc/c (delete facts or give them a ttl)");
    }

    @Test
    void changesAreEvents() throws Exception {
        start(props(), false, CHANGES, new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:state/**").to("mock:changes");
            }
        });
        MockEndpoint changes = context.getEndpoint("mock:changes", MockEndpoint.class);
        store().set("maintenance/web 01", "disk swap", 800);
        store().set("other/x", 1, 0);
        store().delete("other/x");
        store().set("maintenance/web02", true, 0);
        store().delete("maintenance/web02");
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.getReceivedCounter() == 3);
        List<Event> events = changes.getExchanges().stream().map(x -> x.getMessage().getBody(Event.class)).toList();
        assertThat(events).extracting(Event::type).containsExactly(
                "state/maintenance/web_01/set", "state/maintenance/web02/set", "state/maintenance/web02/deleted");
        Event set = events.get(0);
        assertThat(set.subject()).isEqualTo("maintenance/web 01");
        assertThat(set.source()).isEqualTo("backplane/state");
        assertThat(set.data()).containsEntry("key", "maintenance/web 01").containsEntry("op", "set")
                .containsEntry("value", "disk swap").containsKey("expires");
        // the TTL runs out: the purge announces it
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.getReceivedCounter() == 4);
        assertThat(changes.getExchanges().get(3).getMessage().getBody(Event.class).type())
                .isEqualTo("state/maintenance/web_01/expired");
    }

    @Test
    void aSlowChangesRouteHoldsWritersBackInsteadOfDroppingChanges() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        start(props(), false, new RouteBuilder() {
            @Override
            public void configure() {
                from("state:changes?prefix=burst/").process(x -> release.await()).to("mock:burst");
            }
        });
        MockEndpoint burst = context.getEndpoint("mock:burst", MockEndpoint.class);
        int total = StateChangesConsumer.MAX_PENDING + 500;
        Thread writer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                store().set("burst/" + i, i, 0);
            }
        }, "writer");
        writer.start();
        // MAX_PENDING changes wait for the blocked route; the next write is stored, then its writer waits for room
        await().atMost(Duration.ofSeconds(20)).until(() -> store().list("burst/").size()
                                                           == StateChangesConsumer.MAX_PENDING + 1
                                                           && writer.getState() == Thread.State.WAITING);
        release.countDown();
        writer.join(20_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> burst.getReceivedCounter() == total);
        assertThat(burst.getExchanges()).extracting(x -> x.getMessage().getBody(Event.class).data().get("value"))
                .isEqualTo(java.util.stream.IntStream.range(0, total).boxed().toList());
    }

    @Test
    void firstTimeRecipeActsOncePerHost() throws Exception {
        start(props(), false, FIRST_TIME, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:open-ticket").to("mock:ticket");
            }
        });
        MockEndpoint ticket = context.getEndpoint("mock:ticket", MockEndpoint.class);
        java.util.concurrent.atomic.AtomicInteger sets = new java.util.concurrent.atomic.AtomicInteger();
        store().addListener(c -> sets.incrementAndGet());
        for (String host : List.of("web01", "web01", "web02", "web01")) {
            publish("monitor/alertmanager/DiskAlmostFull/firing", host, Map.of());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> store().list("notified/disk/").size() == 2
                                                           && ticket.getReceivedCounter() == 2);
        // all four went through the route (the last set refreshed web01's fact) but only two tickets were opened
        await().atMost(Duration.ofSeconds(10)).until(() -> sets.get() == 4);
        assertThat(ticket.getReceivedCounter()).isEqualTo(2);
        assertThat(ticket.getExchanges()).extracting(x -> x.getMessage().getBody(Event.class).subject())
                .containsExactly("web01", "web02");
    }
}
