package io.backplane.component.alertmanager;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refused request: the status, a JSON body naming the problem, and no event at all. */
class AlertmanagerBadInputTest extends AlertmanagerTestSupport {

    private static final String ALERT = "{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\",\"instance\":\"h1\"}}";

    private MockEndpoint alerts;

    private void assertRefused(String body, int status, String message) throws Exception {
        HttpResponse<String> r = post("/hooks/am", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        Map<String, Object> answer = json(r.body());
        assertThat(answer).containsEntry("status", status);
        assertThat((String) answer.get("error")).contains(message);
        // nothing half-emitted: the whole payload is checked before the first alert goes into the route
        assertThat(alerts.getReceivedCounter()).as("events emitted for " + body).isZero();
    }

    private static String notification(String alerts) {
        return "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"r\",\"alerts\":" + alerts + "}";
    }

    @Test
    void malformedJson() throws Exception {
        alerts = startWithRoute("alertmanager:/hooks/am");
        assertRefused("{\"version\":\"4\",\"alerts\":[" + ALERT + ",", 400, "notification is not valid JSON");
        assertRefused("{not json}", 400, "notification is not valid JSON");
        assertRefused(notification("[" + ALERT + "]") + " trailing", 400, "not valid JSON");
        assertRefused("[" + ALERT + "]", 400, "notification must be a JSON object, got an array");
        assertRefused("", 400, "request body is empty");
        assertRefused("{\"version\":\"4\",\"version\":\"1\",\"alerts\":[]}", 400, "Duplicate field 'version'");
    }

    @Test
    void aBadAlertAfterGoodOnesRejectsTheWholeNotification() throws Exception {
        alerts = startWithRoute("alertmanager:/hooks/am");
        assertRefused(notification("[" + ALERT + "," + ALERT + ",{\"status\":\"firing\",\"labels\":{}}]"), 400,
                "alerts[2].labels.alertname is missing or empty");
    }

    @Test
    void missingOrWrongAlerts() throws Exception {
        alerts = startWithRoute("alertmanager:/hooks/am");
        assertRefused("{\"version\":\"4\",\"status\":\"firing\"}", 400, "missing 'alerts' array");
        assertRefused("{\"version\":\"4\",\"alerts\":{}}", 400, "'alerts' must be an array, got an object");
        assertRefused(notification("[\"HighLoad\"]"), 400, "alerts[0] must be an object, got a string");
    }

    @Test
    void alertWithoutLabelsOrAlertname() throws Exception {
        alerts = startWithRoute("alertmanager:/hooks/am");
        assertRefused(notification("[{\"status\":\"firing\"}]"), 400,
                "alerts[0].labels is missing: every alert needs labels.alertname");
        assertRefused(notification("[{\"status\":\"firing\",\"labels\":[]}]"), 400,
                "alerts[0].labels must be an object, got an array");
        assertRefused(notification("[{\"status\":\"firing\",\"labels\":{\"instance\":\"h1\"}}]"), 400,
                "alerts[0].labels.alertname is missing or empty");
        assertRefused(notification("[{\"status\":\"firing\",\"labels\":{\"alertname\":\"\"}}]"), 400,
                "alerts[0].labels.alertname is missing or empty");
        assertRefused(notification("[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\",\"n\":1}}]"), 400,
                "alerts[0].labels.n must be a string, got a number");
    }

    @Test
    void alertWithWrongFieldTypesOrStatus() throws Exception {
        alerts = startWithRoute("alertmanager:/hooks/am");
        assertRefused(notification("[{\"labels\":{\"alertname\":\"A\"}}]"), 400,
                "alerts[0].status is missing: expected \"firing\" or \"resolved\"");
        assertRefused(notification("[{\"status\":\"pending\",\"labels\":{\"alertname\":\"A\"}}]"), 400,
                "alerts[0].status 'pending' is not \"firing\" or \"resolved\"");
        assertRefused(notification("[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},\"annotations\":\"x\"}]"),
                400, "alerts[0].annotations must be an object, got a string");
        assertRefused(notification("[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":1}]"),
                400, "alerts[0].startsAt must be a string, got a number");
        assertRefused("{\"version\":\"4\",\"receiver\":[],\"alerts\":[]}", 400, "receiver must be a string");
        assertRefused("{\"version\":\"4\",\"groupLabels\":\"x\",\"alerts\":[]}", 400,
                "groupLabels must be an object");
    }

    @Test
    void unknownOrMissingPayloadVersion() throws Exception {
        alerts = startWithRoute("alertmanager:/hooks/am");
        assertRefused(notification("[" + ALERT + "]").replace("\"4\"", "\"5\""), 400,
                "unsupported payload version '5': supported are \"4\" (Prometheus Alertmanager) and \"1\" (Grafana)");
        assertRefused("{\"status\":\"firing\",\"alerts\":[" + ALERT + "]}", 400,
                "missing 'version': supported are \"4\" (Prometheus Alertmanager) and \"1\" (Grafana)");
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        alerts = startWithRoute("alertmanager:/hooks/am?maxBodyBytes=1000");
        String big = fixture("alertmanager-v4.json");
        assertThat(big.length()).isGreaterThan(1000);
        assertRefused(big, 413, "request body is " + big.length() + " bytes, over the limit of 1000 bytes");
        // under the limit the same endpoint accepts
        assertThat(post("/hooks/am", notification("[" + ALERT + "]")).statusCode()).isEqualTo(200);
    }

    @Test
    void bearerToken() throws Exception {
        alerts = startWithRoute("alertmanager:/hooks/am?token=s3cret");
        String payload = notification("[" + ALERT + "]");
        for (String[] c : new String[][] {
                { null, "missing Authorization header" },
                { "Bearer guess", "wrong credentials" },
                { "Basic " + Base64.getEncoder().encodeToString("u:s3cret".getBytes()), "wrong credentials" },
                { "s3cret", "wrong credentials" } }) {
            HttpResponse<String> r = c[0] == null ? post("/hooks/am", payload)
                    : post("/hooks/am", payload, "Authorization", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"backplane\"");
            assertThat(json(r.body())).containsEntry("error", c[1]).containsEntry("status", 401);
        }
        assertThat(alerts.getReceivedCounter()).isZero();
        // the credentials are checked before the body: a malformed body without them is still a 401
        assertThat(post("/hooks/am", "{nope").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = post("/hooks/am", payload, "Authorization", "Bearer s3cret");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(alerts.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void basicAuthentication() throws Exception {
        alerts = startWithRoute("alertmanager:/hooks/am?username=alertmanager&password=p4ss:word");
        String payload = notification("[" + ALERT + "]");
        HttpResponse<String> none = post("/hooks/am", payload);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"backplane\"");
        HttpResponse<String> wrong = post("/hooks/am", payload, "Authorization", basic("alertmanager", "guess"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong.body())).containsEntry("error", "wrong credentials");
        assertThat(alerts.getReceivedCounter()).isZero();
        HttpResponse<String> ok = post("/hooks/am", payload, "Authorization", basic("alertmanager", "p4ss:word"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(alerts.getReceivedCounter()).isEqualTo(1);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }
}
