package io.backplane.component.alertmanager;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.EventHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Real Alertmanager and Grafana payloads posted to the real platform HTTP server. */
class AlertmanagerConsumerTest extends AlertmanagerTestSupport {

    @Test
    void alertmanagerNotificationBecomesOneEventPerAlert() throws Exception {
        MockEndpoint alerts = startWithRoute("alertmanager:/hooks/alertmanager");
        HttpResponse<String> r = post("/hooks/alertmanager", fixture("alertmanager-v4.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":3,\"suppressed\":0}");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");

        // the answer comes after the route has processed every alert: nothing to wait for
        List<Event> events = events(alerts);
        assertThat(events).extracting(Event::type).containsExactly(
                "monitor/alertmanager/HighLoad/firing",
                "monitor/alertmanager/HighLoad/resolved", // the alert's own status, not the group's (firing)
                "monitor/alertmanager/Disk_full__var/firing"); // one safe tag segment
        assertThat(events).extracting(Event::subject).containsExactly("web01:9100", "web02:9100", "Disk full /var");
        assertThat(events).extracting(Event::source).containsOnly("alertmanager/backplane");

        Event first = events.get(0);
        assertThat(first.data()).containsExactly(
                entry("status", "firing"),
                entry("labels", Map.of("alertname", "HighLoad", "instance", "web01:9100", "job", "node",
                        "severity", "critical")),
                entry("annotations", Map.of("summary", "load is high", "description",
                        "load1 is 12.5 on web01:9100")),
                entry("startsAt", "2024-05-01T10:00:00.123456789Z"),
                entry("endsAt", "0001-01-01T00:00:00Z"),
                entry("generatorURL", "http://prometheus.example:9090/graph?g0.expr=node_load1+%3E+10&g0.tab=1"),
                entry("fingerprint", "4a5b6c7d8e9f0a1b"),
                entry("receiver", "backplane"),
                entry("groupKey", "{}:{job=\"node\"}"),
                entry("externalURL", "http://alertmanager.example:9093"),
                entry("groupLabels", Map.of("job", "node")));
        assertThat(events.get(1).data()).containsEntry("status", "resolved")
                .containsEntry("endsAt", "2024-05-01T10:04:30Z");

        Exchange x = exchange(alerts, 1);
        assertThat(x.getMessage().getHeaders()).contains(
                entry(EventHeaders.TYPE, "monitor/alertmanager/HighLoad/resolved"),
                entry(EventHeaders.SUBJECT, "web02:9100"),
                entry(EventHeaders.SOURCE, "alertmanager/backplane"),
                entry(EventHeaders.ID, events.get(1).id()),
                entry(AlertmanagerConstants.SENDER, "alertmanager"),
                entry(AlertmanagerConstants.ALERT_INDEX, 1),
                entry(AlertmanagerConstants.ALERT_COUNT, 3));
        // nothing of the HTTP request reaches the route
        assertThat(x.getMessage().getHeaders()).doesNotContainKeys("Content-Type", "Authorization", "CamelHttpPath");
    }

    @Test
    void grafanaNotificationKeepsGrafanaFields() throws Exception {
        MockEndpoint alerts = startWithRoute("alertmanager:/hooks/grafana");
        HttpResponse<String> r = post("/hooks/grafana", fixture("grafana.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":2,\"suppressed\":0}");

        List<Event> events = events(alerts);
        assertThat(events).extracting(Event::type).containsExactly(
                "monitor/grafana/High_memory_usage/firing", "monitor/grafana/High_CPU_usage/resolved");
        // no instance label: the subject falls back to the alert name
        assertThat(events).extracting(Event::subject).containsExactly("High memory usage", "cpu-host-7");
        assertThat(events).extracting(Event::source).containsOnly("grafana/My_Super_Webhook");
        Map<String, Object> data = events.get(0).data();
        assertThat(data).containsEntry("status", "firing")
                .containsEntry("fingerprint", "c6eadffa33fcdf37")
                .containsEntry("receiver", "My Super Webhook")
                .containsEntry("groupKey", "{}:{}")
                .containsEntry("externalURL", "https://play.grafana.org/")
                .containsEntry("orgId", 1)
                .containsEntry("title", "[FIRING:1, RESOLVED:1]  (blue)")
                .containsEntry("state", "alerting")
                .containsEntry("values", Map.of("B", 44.23943737541908, "C", 1))
                .containsEntry("dashboardURL", "https://play.grafana.org/d/mem")
                .containsEntry("panelURL", "https://play.grafana.org/d/mem?viewPanel=3")
                .containsEntry("imageURL", "https://play.grafana.org/public/img/attachments/mem.png")
                .containsKeys("message", "valueString", "silenceURL", "labels", "annotations", "startsAt",
                        "endsAt", "generatorURL", "groupLabels");
        assertThat((String) data.get("valueString")).startsWith("[ var='B'");
        assertThat(events.get(1).data()).doesNotContainKey("imageURL"); // absent in the payload, absent here
        assertThat(exchange(alerts, 0).getMessage().getHeader(AlertmanagerConstants.SENDER)).isEqualTo("grafana");
    }

    @Test
    void grafanaIsRecognisedWithoutVersion() throws Exception {
        MockEndpoint alerts = startWithRoute("alertmanager:/hooks/grafana");
        String legacy = fixture("grafana.json").replace("\"version\": \"1\",", "");
        assertThat(legacy).doesNotContain("\"version\"");
        HttpResponse<String> r = post("/hooks/grafana", legacy);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(events(alerts)).extracting(Event::type).allMatch(t -> t.startsWith("monitor/grafana/"));
    }

    @Test
    void subjectLabelsAreTriedInOrder() throws Exception {
        MockEndpoint alerts = startWithRoute("alertmanager:/hooks/am?subjectLabel=zone,instance");
        assertThat(post("/hooks/am", fixture("grafana.json")).statusCode()).isEqualTo(200);
        assertThat(events(alerts)).extracting(Event::subject).containsExactly("us-1", "eu-1");
        alerts.reset();
        assertThat(post("/hooks/am", fixture("alertmanager-v4.json")).statusCode()).isEqualTo(200);
        assertThat(events(alerts)).extracting(Event::subject)
                .containsExactly("web01:9100", "web02:9100", "Disk full /var");
    }

    @Test
    void repeatsPassByDefault() throws Exception {
        MockEndpoint alerts = startWithRoute("alertmanager:/hooks/am");
        post("/hooks/am", fixture("alertmanager-v4.json"));
        HttpResponse<String> again = post("/hooks/am", fixture("alertmanager-v4.json"));
        assertThat(again.body()).isEqualTo("{\"accepted\":3,\"suppressed\":0}");
        assertThat(alerts.getReceivedCounter()).isEqualTo(6);
    }

    @Test
    void suppressRepeatsDropsRepeatsButNeverAChange() throws Exception {
        MockEndpoint alerts = startWithRoute("alertmanager:/hooks/am?suppressRepeats=true");
        String payload = fixture("alertmanager-v4.json");
        assertThat(post("/hooks/am", payload).body()).isEqualTo("{\"accepted\":3,\"suppressed\":0}");
        // Alertmanager's repeat_interval resend: nothing new
        assertThat(post("/hooks/am", payload).body()).isEqualTo("{\"accepted\":0,\"suppressed\":3}");
        assertThat(alerts.getReceivedCounter()).isEqualTo(3);

        // web01 resolves (same startsAt, new status): only that alert passes
        String web01Resolved = payload.replaceFirst("\"status\": \"firing\",\n      \"labels\"",
                "\"status\": \"resolved\",\n      \"labels\"");
        assertThat(post("/hooks/am", web01Resolved).body()).isEqualTo("{\"accepted\":1,\"suppressed\":2}");
        assertThat(events(alerts).get(3).type()).isEqualTo("monitor/alertmanager/HighLoad/resolved");
        assertThat(events(alerts).get(3).subject()).isEqualTo("web01:9100");

        // and fires again, same episode: a status change always passes
        assertThat(post("/hooks/am", payload).body()).isEqualTo("{\"accepted\":1,\"suppressed\":2}");
        assertThat(events(alerts).get(4).type()).isEqualTo("monitor/alertmanager/HighLoad/firing");
        // a new episode (new startsAt) of a firing alert passes too
        String newEpisode = payload.replace("2024-05-01T10:01:00Z", "2024-05-01T12:00:00Z");
        assertThat(post("/hooks/am", newEpisode).body()).isEqualTo("{\"accepted\":1,\"suppressed\":2}");
        assertThat(events(alerts).get(5).subject()).isEqualTo("Disk full /var");

        // the same alert through another receiver is not a repeat of this one
        assertThat(post("/hooks/am", payload.replace("\"receiver\": \"backplane\"", "\"receiver\": \"pager\"")).body())
                .isEqualTo("{\"accepted\":3,\"suppressed\":0}");
    }

    @Test
    void routeFailureAnswers500AndTheRetryIsNotTakenForARepeat() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
        createContext();
        start(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("alertmanager:/hooks/am?suppressRepeats=true")
                        .process(e -> {
                            if (broken.get() && "web02:9100".equals(e.getMessage().getBody(Event.class).subject())) {
                                throw new IllegalStateException("bus unavailable");
                            }
                        })
                        .to("mock:alerts");
            }
        });
        MockEndpoint alerts = context.getEndpoint("mock:alerts", MockEndpoint.class);
        HttpResponse<String> failed = post("/hooks/am", fixture("alertmanager-v4.json"));
        assertThat(failed.statusCode()).isEqualTo(500);
        Map<String, Object> body = json(failed.body());
        assertThat(body).containsEntry("status", 500).containsEntry("accepted", 1).containsEntry("suppressed", 0);
        assertThat((String) body.get("error")).isEqualTo(
                "the route failed for alerts[1] (monitor/alertmanager/HighLoad/resolved): bus unavailable");
        // processing stopped at the failed alert
        assertThat(events(alerts)).extracting(Event::subject).containsExactly("web01:9100");

        broken.set(false);
        // Alertmanager retries the whole notification: the alert already emitted is a repeat, the failed one is not
        HttpResponse<String> retry = post("/hooks/am", fixture("alertmanager-v4.json"));
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo("{\"accepted\":2,\"suppressed\":1}");
        assertThat(events(alerts)).extracting(Event::subject)
                .containsExactly("web01:9100", "web02:9100", "Disk full /var");
    }

    @Test
    void anEmptyAlertsArrayIsAccepted() throws Exception {
        MockEndpoint alerts = startWithRoute("alertmanager:/hooks/am");
        HttpResponse<String> r = post("/hooks/am", "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":0,\"suppressed\":0}");
        assertThat(alerts.getReceivedCounter()).isZero();
    }

    @Test
    void responseNeverEchoesRequestHeaders() throws Exception {
        startWithRoute("alertmanager:/hooks/am?token=s3cret");
        for (String auth : new String[] { "Bearer s3cret", "Bearer guess-7" }) {
            HttpResponse<String> r = post("/hooks/am", fixture("alertmanager-v4.json"), "Authorization", auth,
                    "X-Scope-OrgID", "tenant-7", "User-Agent", "Alertmanager/0.25.0");
            assertThat(r.headers().map().keySet()).map(String::toLowerCase)
                    .doesNotContain("authorization", "x-scope-orgid", "user-agent");
            assertThat(r.body()).doesNotContain("s3cret", "guess-7", "tenant-7");
        }
    }

    @Test
    void onlyPostIsAllowed() throws Exception {
        MockEndpoint alerts = startWithRoute("alertmanager:/hooks/am");
        for (String method : new String[] { "GET", "PUT", "DELETE" }) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/hooks/am"))
                    .method(method, HttpRequest.BodyPublishers.ofString(fixture("alertmanager-v4.json"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
        }
        assertThat(alerts.getReceivedCounter()).isZero();
    }
}
