package io.backplane.component.httpaction;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backplane.core.Event;
import io.backplane.core.EventHeaders;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What is sent: method, URL, JSON body, headers and credentials, and the ok result event. */
class HttpActionRequestTest extends HttpActionTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void okPathSendsTheRenderedJsonBodyExactlyAndReportsTheResult() throws Exception {
        start();
        server.respond(r -> TestServer.Reply.of(200, "{\"restarted\":\"nginx\"}"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("service", "ng\"inx\"}, \"evil\": true, {\"");
        data.put("note", "line one\nline two\t\"}");
        data.put("load", 2.5);
        data.put("tags", Map.of("team", "ops"));
        Event cause = event(data);
        String uri = "http-action:restart?url=RAW(" + server.base() + "/api/restart)"
                     + "&body=RAW({\"service\": ${data.service}, \"note\": ${data.note}, \"load\": ${data.load}, "
                     + "\"tags\": ${data.tags}, \"host\": ${subject}})";

        Exchange done = act(uri, cause);

        assertThat(server.received()).hasSize(1);
        TestServer.Received got = server.received().get(0);
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.rawPath()).isEqualTo("/api/restart");
        assertThat(got.header("Content-Type")).startsWith("application/json");
        assertThat(got.body()).isEqualTo("{\"service\": \"ng\\\"inx\\\"}, \\\"evil\\\": true, {\\\"\", "
                                         + "\"note\": \"line one\\nline two\\t\\\"}\", \"load\": 2.5, "
                                         + "\"tags\": {\"team\":\"ops\"}, \"host\": \"web01\"}");
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = JSON.readValue(got.body(), Map.class);
        assertThat(parsed).containsOnlyKeys("service", "note", "load", "tags", "host");
        assertThat(parsed.get("service")).isEqualTo(data.get("service"));
        assertThat(parsed.get("note")).isEqualTo(data.get("note"));

        Event result = done.getMessage().getBody(Event.class);
        assertThat(result.type()).isEqualTo("action/http/restart/ok");
        assertThat(result.causationId()).isEqualTo(cause.id());
        assertThat(result.subject()).isEqualTo("web01");
        assertThat(result.source()).isEqualTo("backplane/actor/http");
        assertThat(result.data()).containsEntry("actor", "http").containsEntry("name", "restart")
                .containsEntry("outcome", "ok").containsEntry("method", "POST")
                .containsEntry("url", server.base() + "/api/restart").containsEntry("status", 200)
                .containsEntry("attempts", 1).containsEntry("deadLetter", false)
                .containsEntry("responseBody", "{\"restarted\":\"nginx\"}")
                .containsEntry("cause", "monitor/probe/web/down")
                .containsKey("durationMs").doesNotContainKey("error");
        assertThat(done.getMessage().getHeader(EventHeaders.TYPE)).isEqualTo("action/http/restart/ok");
        assertThat(done.getMessage().getHeader(HttpActionConstants.OUTCOME)).isEqualTo("ok");
        assertThat(done.getMessage().getHeader(HttpActionConstants.STATUS)).isEqualTo(200);
        assertThat(done.getMessage().getHeader(HttpActionConstants.DEAD_LETTER)).isEqualTo(false);
    }

    @Test
    void withoutABodyTemplateAPostSendsTheWholeEvent() throws Exception {
        start();
        Event cause = event(Map.of("service", "nginx"));
        Event result = result("http-action:forward?url=" + server.base() + "/hook", cause);
        assertThat(result.type()).isEqualTo("action/http/forward/ok");
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = JSON.readValue(server.received().get(0).body(), Map.class);
        assertThat(sent).containsEntry("id", cause.id()).containsEntry("type", "monitor/probe/web/down")
                .containsEntry("data", Map.of("service", "nginx"));
    }

    @Test
    void getSendsNoBodyAndQueryValuesAreEncoded() throws Exception {
        start();
        Event cause = event(Map.of("q", "a&b=c #d", "n", 3));
        Event result = result("http-action:lookup?method=GET&url=RAW(" + server.base()
                              + "/search?q=${data.q}&n=${data.n})", cause);
        assertThat(result.data()).containsEntry("outcome", "ok").containsEntry("method", "GET");
        TestServer.Received got = server.received().get(0);
        assertThat(got.method()).isEqualTo("GET");
        assertThat(got.rawQuery()).isEqualTo("q=a%26b%3Dc%20%23d&n=3");
        assertThat(got.body()).isEmpty();
        assertThat(got.header("Content-Type")).isNull();
    }

    @Test
    void urlValuesCannotAddPathSegmentsQueryParametersOrChangeTheHost() throws Exception {
        start();
        String uri = "http-action:restart?url=RAW(" + server.base() + "/api/services/${data.service}/restart"
                     + "?by=${data.by})";
        Event result = result(uri, event(Map.of("service", "../../admin/x?drop=1#f", "by", "x&admin=true")));
        assertThat(result.data()).containsEntry("outcome", "ok");
        TestServer.Received got = server.received().get(0);
        assertThat(got.rawPath()).isEqualTo("/api/services/..%2F..%2Fadmin%2Fx%3Fdrop%3D1%23f/restart");
        assertThat(got.rawQuery()).isEqualTo("by=x%26admin%3Dtrue");

        // '@' and ':' cannot turn the rest into a new authority; '%' and braces stay data
        result = result(uri, event(Map.of("service", "@evil.example:80/", "by", "%2e%2e{{secret}}")));
        assertThat(result.data()).containsEntry("outcome", "ok");
        got = server.received().get(1);
        assertThat(got.rawPath()).isEqualTo("/api/services/%40evil.example%3A80%2F/restart");
        assertThat(got.rawQuery()).isEqualTo("by=%252e%252e%7B%7Bsecret%7D%7D");
        assertThat(got.header("Host")).isEqualTo("127.0.0.1:" + server.port());
    }

    @Test
    void aDotSegmentValueIsRefusedAndNothingIsSent() throws Exception {
        start();
        String uri = "http-action:restart?url=RAW(" + server.base() + "/api/services/${data.service}/restart)";
        for (String dots : new String[] {"..", "."}) {
            Event result = result(uri, event(Map.of("service", dots)));
            assertThat(result.type()).isEqualTo("action/http/restart/refused");
            assertThat((String) field(result, "error"))
                    .isEqualTo("the URL path /api/services/" + dots + "/restart has a '" + dots
                               + "' segment: a value of the event would change the path");
            assertThat(result.data()).containsEntry("attempts", 0).containsEntry("deadLetter", false);
        }
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aMissingTemplateValueIsRefusedAndNothingIsSent() throws Exception {
        start();
        Event result = result("http-action:restart?url=RAW(" + server.base() + "/api/${data.service})",
                              event(Map.of("other", 1)));
        assertThat(result.type()).isEqualTo("action/http/restart/refused");
        assertThat((String) field(result, "error")).isEqualTo("the event has no value for ${data.service}");

        result = result("http-action:restart?url=" + server.base() + "/api&body=RAW({\"s\": ${data.service}})",
                        event(Map.of("other", 1)));
        assertThat((String) field(result, "error")).isEqualTo("the event has no value for ${data.service}");

        result = result("http-action:restart?url=RAW(" + server.base() + "/api/${data.service})",
                        event(Map.of("service", Map.of("a", 1))));
        assertThat((String) field(result, "error"))
                .isEqualTo("a URL takes single values, but ${data.service} is a JSON object");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aBodyThatIsNotAnEventIsRefused() throws Exception {
        start();
        Exchange done = template.send("http-action:restart?url=" + server.base() + "/api",
                                      e -> e.getMessage().setBody(null));
        Event result = done.getMessage().getBody(Event.class);
        assertThat(result.type()).isEqualTo("action/http/restart/refused");
        assertThat((String) field(result, "error"))
                .isEqualTo("the message is not an event: the message body is empty: nothing to publish");
        assertThat(result.causationId()).isNull();
        assertThat(server.received()).isEmpty();
    }

    @Test
    void bearerTokenFromAPropertyPlaceholderIsSentAndNeverReported() throws Exception {
        context.getPropertiesComponent().addInitialProperty("restart.token", "s3cret-t0ken");
        start();
        Exchange done = act("http-action:restart?url=" + server.base() + "/api&bearerToken={{restart.token}}"
                            + "&headers=RAW({\"X-Team\": \"ops\", \"Content-Type\": \"application/vnd.ops+json\"})",
            event(Map.of()));
        TestServer.Received got = server.received().get(0);
        assertThat(got.header("Authorization")).isEqualTo("Bearer s3cret-t0ken");
        assertThat(got.header("X-Team")).isEqualTo("ops");
        assertThat(got.header("Content-Type")).isEqualTo("application/vnd.ops+json");
        Event result = done.getMessage().getBody(Event.class);
        assertThat(result.data()).containsEntry("outcome", "ok");
        assertThat(result.toString()).doesNotContain("s3cret");
    }

    @Test
    void basicCredentialsFromPropertyPlaceholdersAreSent() throws Exception {
        context.getPropertiesComponent().addInitialProperty("hook.user", "backplane");
        context.getPropertiesComponent().addInitialProperty("hook.password", "pa:ss w&rd");
        start();
        // a secret with URI characters (& here) needs RAW(...) around its placeholder in a URI string
        act("http-action:restart?url=" + server.base() + "/api&username={{hook.user}}"
            + "&password=RAW({{hook.password}})", event(Map.of()));
        String expected = "Basic " + java.util.Base64.getEncoder()
                .encodeToString("backplane:pa:ss w&rd".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(server.received().get(0).header("Authorization")).isEqualTo(expected);
    }

    @Test
    void otherMethodsAndTheirBodies() throws Exception {
        start();
        result("http-action:put?method=PUT&url=" + server.base() + "/r&body=RAW({\"a\": ${data.a}})",
               event(Map.of("a", 1)));
        result("http-action:del?method=DELETE&url=" + server.base() + "/r", event(Map.of()));
        result("http-action:patch?method=patch&url=" + server.base() + "/r", event(Map.of()));
        assertThat(server.received()).extracting(TestServer.Received::method).containsExactly("PUT", "DELETE",
                                                                                              "PATCH");
        assertThat(server.received().get(0).body()).isEqualTo("{\"a\": 1}");
        assertThat(server.received().get(1).body()).isEmpty();
    }

    @Test
    void aLongResponseBodyIsCutInTheResult() throws Exception {
        start();
        String big = "x".repeat(100_000);
        server.respond(r -> TestServer.Reply.of(200, big));
        Event result = result("http-action:big?url=" + server.base() + "/r", event(Map.of()));
        String body = field(result, "responseBody");
        // (no assertion on the whole text: a failure would print 16 KiB of x)
        assertThat(body.length()).isEqualTo(16 * 1024 + "\n[truncated: 83616 more bytes]".length());
        assertThat(body.substring(16 * 1024)).isEqualTo("\n[truncated: " + (100_000 - 16 * 1024) + " more bytes]");
        assertThat(body.chars().limit(16 * 1024).allMatch(c -> c == 'x')).isTrue();
    }

    @Test
    void httpsTargetsAreSentThroughCamelHttpToo() throws Exception {
        start();
        int closedPort = io.backplane.test.Ports.free();
        Event result = result("http-action:secure?url=https://127.0.0.1:" + closedPort + "/api&retries=0",
                              event(Map.of()));
        assertThat(result.type()).isEqualTo("action/http/secure/failed");
        assertThat((String) field(result, "error")).startsWith("connection failed: ").contains("Connection refused");
        assertThat(result.data()).containsEntry("url", "https://127.0.0.1:" + closedPort + "/api");
    }
}
