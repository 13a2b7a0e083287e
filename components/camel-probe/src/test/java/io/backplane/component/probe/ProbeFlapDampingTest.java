package io.backplane.component.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * State changes against a server that answers a scripted sequence of statuses (one per check), so the expected
 * events are exact whatever the timing.
 */
class ProbeFlapDampingTest extends ProbeTestSupport {

    private TestHttpServer server;
    private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
    private volatile int afterScript = 200;

    @BeforeEach
    void startServer() throws Exception {
        server = TestHttpServer.http();
        server.respond(exchange -> {
            Integer next = script.poll();
            TestHttpServer.send(exchange, next != null ? next : afterScript, "");
        });
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String probe(String name, String options) {
        return "probe:" + name + "?type=http&url=" + server.url("/") + "&interval=50ms&metrics=true&" + options;
    }

    @Test
    void downOnlyAfterThreeFailuresUpOnlyAfterTwoSuccessesNoRepeats() throws Exception {
        script.addAll(List.of(200, 200, 200, 500, 200, 500, 500, 500, 500, 200, 500, 200, 200));
        start(probe("flappy", "failures=3&successes=2"));
        awaitEvents(tag("flappy", "result"), 20);

        List<String> stream = new ArrayList<>();
        for (Received r : received.subList(0, 23)) {
            String what = r.type().substring(tag("flappy", "").length());
            stream.add(what.equals("result") ? (Boolean.TRUE.equals(r.data().get("ok")) ? "ok" : "fail") : what);
        }
        assertThat(stream).containsExactly(
                "ok", "ok", "up", "ok",
                "fail", "ok", "fail", "fail", "fail", "down", "fail",
                "ok", "fail", "ok", "ok", "up",
                "ok", "ok", "ok", "ok", "ok", "ok", "ok");

        List<Received> changes = received.stream().filter(r -> !r.type().endsWith("/result")).toList();
        assertThat(changes).extracting(Received::type)
                .containsExactly(tag("flappy", "up"), tag("flappy", "down"), tag("flappy", "up"));
        assertThat(changes.get(0).data()).containsEntry("previous", "unknown").containsEntry("consecutive", 2);
        assertThat(changes.get(1).data()).containsEntry("previous", "up").containsEntry("consecutive", 3)
                .containsEntry("error", "status 500, expected 200-399").containsEntry("statusCode", 500);
        assertThat(changes.get(2).data()).containsEntry("previous", "down").containsEntry("consecutive", 2);
        // previousSince of a change is the since of the change before it
        assertThat(changes.get(1).data().get("previousSince")).isEqualTo(changes.get(0).data().get("since"));
        assertThat(changes.get(2).data().get("previousSince")).isEqualTo(changes.get(1).data().get("since"));
    }

    @Test
    void emitInitialDownKeepsAFirstUpSilentButReportsLaterChanges() throws Exception {
        start(probe("quiet", "emitInitial=down&failures=2&successes=1"));
        await().atMost(WAIT).until(() -> "up".equals(consumer("quiet").getState()));
        awaitEvents(tag("quiet", "result"), 4);
        afterScript = 500;
        Received down = awaitEvent(tag("quiet", "down"));
        assertThat(down.data()).containsEntry("previous", "up");
        assertThat(ofType(tag("quiet", "up"))).isEmpty();
    }

    @Test
    void emitInitialDownReportsATargetThatIsDownAtStart() throws Exception {
        afterScript = 500;
        start(probe("deadatstart", "emitInitial=down&failures=3"));
        Received down = awaitEvent(tag("deadatstart", "down"));
        assertThat(down.data()).containsEntry("previous", "unknown").containsEntry("consecutive", 3);
    }

    @Test
    void emitInitialNoneReportsOnlyLaterChanges() throws Exception {
        afterScript = 500;
        start(probe("silent", "emitInitial=none&failures=1&successes=1"));
        awaitEvents(tag("silent", "result"), 4);
        assertThat(consumer("silent").getState()).isEqualTo("down");
        assertThat(received).allMatch(r -> r.type().endsWith("/result"));
        afterScript = 200;
        assertThat(awaitEvent(tag("silent", "up")).data()).containsEntry("previous", "down");
    }

    @Test
    void withoutMetricsOnlyChangesAreEmitted() throws Exception {
        script.addAll(List.of(500, 500, 500, 500, 500));
        start("probe:plain?type=http&url=" + server.url("/") + "&interval=50ms&failures=3&successes=2");
        awaitEvents(tag("plain", "up"), 1);
        await().atMost(WAIT).until(() -> consumer("plain").getRuns() >= 12);
        assertThat(received).extracting(Received::type)
                .containsExactly(tag("plain", "down"), tag("plain", "up"));
    }
}
