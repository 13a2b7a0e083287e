package io.backplane.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.backplane.core.Event;
import org.junit.jupiter.api.Test;

class ActionResultTest {

    @Test
    void resultIsCausedByTheTriggerAndBounded() {
        Event cause = Event.builder("monitor/probe/web/down").subject("web01").data(Map.of()).build();
        Event result = ActionResult.start("ssh", "restart nginx", cause).maxOutput(10)
                .put("exitCode", 3).put("stdout", "0123456789abcdef").finish(ActionResult.Outcome.FAILED, "exit 3");
        assertThat(result.type()).isEqualTo("action/ssh/restart_nginx/failed");
        assertThat(result.causationId()).isEqualTo(cause.id());
        assertThat(result.subject()).isEqualTo("web01");
        assertThat(result.data()).containsEntry("exitCode", 3).containsEntry("error", "exit 3")
                .containsEntry("outcome", "failed").containsEntry("cause", "monitor/probe/web/down")
                .containsKey("durationMs");
        assertThat((String) result.data().get("stdout")).startsWith("0123456789\n[truncated: 6 more");
    }

    @Test
    void okWithoutCause() {
        Event result = ActionResult.start("http", "scale", null).subject("api").ok();
        assertThat(result.type()).isEqualTo("action/http/scale/ok");
        assertThat(result.causationId()).isNull();
        assertThat(result.subject()).isEqualTo("api");
    }
}
