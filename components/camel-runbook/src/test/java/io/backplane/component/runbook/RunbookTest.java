package io.backplane.component.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** How a run goes: order, conditions, stop or continue, the summary event. Steps are in-process actors. */
class RunbookTest extends RunbookTestSupport {

    @Test
    void allStepsOkGiveAnOkSummaryCausedByTheTrigger() throws Exception {
        start(actors(), runbookRoute("""
                steps:
                  - id: first
                    uri: direct:ok
                  - id: second
                    uri: direct:ok2
                  - id: third
                    uri: direct:ok3
                """));
        Event trigger = trigger();
        Exchange done = template.send("direct:in", e -> e.getMessage().setBody(trigger));
        Event summary = done.getMessage().getBody(Event.class);

        assertThat(calls).containsExactly("ok", "ok2", "ok3");
        // every step got the triggering event itself
        assertThat(received).allSatisfy(e -> assertThat(e.id()).isEqualTo(trigger.id()));
        assertThat(summary.type()).isEqualTo("action/runbook/check/ok");
        assertThat(summary.source()).isEqualTo("backplane/actor/runbook");
        assertThat(summary.subject()).isEqualTo("web01");
        assertThat(summary.causationId()).isEqualTo(trigger.id());
        assertThat(summary.data()).containsEntry("actor", "runbook").containsEntry("name", "check")
                .containsEntry("outcome", "ok").containsEntry("target", "web01")
                .containsEntry("cause", "monitor/probe/web/down").containsEntry("failedStep", null)
                .containsKey("durationMs").doesNotContainKey("error");
        assertThat(steps(summary)).extracting(s -> s.get("id")).containsExactly("first", "second", "third");
        Map<String, Object> first = step(summary, "first");
        assertThat(first).containsEntry("outcome", "ok").containsEntry("skipped", false)
                .containsEntry("resultType", "action/fake/ok/ok").containsEntry("exitCode", 0)
                .containsKey("resultId").containsKey("durationMs").doesNotContainKey("error");
        assertThat(done.getMessage().getHeaders()).containsEntry("CamelRunbookOutcome", "ok")
                .containsEntry("CamelCloudEventType", "action/runbook/check/ok")
                .containsEntry("CamelCloudEventCausationId", trigger.id())
                .doesNotContainKey("CamelRunbookFailedStep");
    }

    @Test
    void aFailureStopsTheRunAndTheLaterStepsAreSkipped() throws Exception {
        start(actors(), runbookRoute("""
                onFailure: stop
                steps:
                  - id: check
                    uri: direct:ok
                  - id: restart
                    uri: direct:fail
                  - id: verify
                    uri: direct:ok2
                """));
        Event summary = run(trigger());

        assertThat(calls).containsExactly("ok", "fail");
        assertThat(summary.type()).isEqualTo("action/runbook/check/failed");
        assertThat(summary.data()).containsEntry("outcome", "failed").containsEntry("failedStep", "restart")
                .containsEntry("error", "step 'restart' failed: fail went wrong");
        assertThat(step(summary, "restart")).containsEntry("outcome", "failed").containsEntry("exitCode", 3)
                .containsEntry("error", "fail went wrong").containsEntry("resultType", "action/fake/fail/failed");
        assertThat(step(summary, "verify")).containsEntry("outcome", "skipped").containsEntry("skipped", true)
                .containsEntry("durationMs", 0L)
                .containsEntry("reason", "step 'restart' failed and onFailure is stop");
    }

    @Test
    void stopIsTheDefault() throws Exception {
        start(actors(), runbookRoute("""
                steps:
                  - id: restart
                    uri: direct:timeout
                  - id: verify
                    uri: direct:ok
                """));
        Event summary = run(trigger());
        assertThat(calls).containsExactly("timeout");
        assertThat(summary.data()).containsEntry("failedStep", "restart")
                .containsEntry("error", "step 'restart' timeout: timeout went wrong");
        assertThat(step(summary, "restart")).containsEntry("outcome", "timeout");
        assertThat(step(summary, "verify")).containsEntry("outcome", "skipped");
    }

    @Test
    void continueRunsTheRestAndTheRunStillFails() throws Exception {
        start(actors(), runbookRoute("""
                onFailure: continue
                steps:
                  - id: a
                    uri: direct:fail
                  - id: b
                    uri: direct:ok
                  - id: c
                    uri: direct:timeout
                """));
        Event summary = run(trigger());
        assertThat(calls).containsExactly("fail", "ok", "timeout");
        assertThat(summary.type()).isEqualTo("action/runbook/check/failed");
        // the first failure is the one reported
        assertThat(summary.data()).containsEntry("failedStep", "a");
        assertThat(steps(summary)).extracting(s -> s.get("outcome")).containsExactly("failed", "ok", "timeout");
    }

    @Test
    void continueOnFailureLetsOneStepFailWithoutStoppingTheRun() throws Exception {
        start(actors(), runbookRoute("""
                steps:
                  - id: drain
                    uri: direct:fail
                    continueOnFailure: true
                  - id: restart
                    uri: direct:ok
                  - id: broken
                    uri: direct:fail
                  - id: never
                    uri: direct:ok2
                """));
        Event summary = run(trigger());
        assertThat(calls).containsExactly("fail", "ok", "fail");
        assertThat(summary.data()).containsEntry("outcome", "failed").containsEntry("failedStep", "drain");
        assertThat(step(summary, "never")).containsEntry("reason", "step 'broken' failed and onFailure is stop");
    }

    @Test
    void ignoreFailureRecordsTheFailureButTheRunIsOk() throws Exception {
        start(actors(), runbookRoute("""
                steps:
                  - id: notify
                    uri: direct:fail
                    ignoreFailure: true
                  - id: restart
                    uri: direct:ok
                """));
        Event summary = run(trigger());
        assertThat(calls).containsExactly("fail", "ok");
        assertThat(summary.type()).isEqualTo("action/runbook/check/ok");
        assertThat(summary.data()).containsEntry("failedStep", null);
        assertThat(step(summary, "notify")).containsEntry("outcome", "failed");
    }

    @Test
    void alwaysStepsRunAfterTheRunStopped() throws Exception {
        start(actors(), runbookRoute("""
                steps:
                  - id: restart
                    uri: direct:fail
                  - id: verify
                    uri: direct:ok
                  - id: page-oncall
                    uri: direct:ok2
                    always: true
                    when: steps.restart.outcome != 'ok' or steps.verify.outcome != 'ok'
                  - id: log-success
                    uri: direct:ok3
                    always: true
                    when: steps.restart.outcome == 'ok'
                """));
        Event summary = run(trigger());
        assertThat(calls).containsExactly("fail", "ok2");
        assertThat(summary.data()).containsEntry("outcome", "failed").containsEntry("failedStep", "restart");
        assertThat(step(summary, "verify")).containsEntry("outcome", "skipped");
        assertThat(step(summary, "page-oncall")).containsEntry("outcome", "ok");
        assertThat(step(summary, "log-success")).containsEntry("outcome", "skipped")
                .containsEntry("reason", "the condition is false: steps.restart.outcome == 'ok'");
    }

    @Test
    void conditionsReadEarlierOutcomesExitCodesOutputAndTheEvent() throws Exception {
        start(actors(), runbookRoute("""
                onFailure: continue
                steps:
                  - id: check
                    uri: direct:fail
                  - id: on-exit-3
                    uri: direct:ok
                    when: steps.check.exitCode == 3 and steps.check.outcome in ['failed', 'timeout']
                  - id: on-exit-0
                    uri: direct:ok2
                    when: steps.check.exitCode == 0
                  - id: on-output
                    uri: direct:ok3
                    when: steps.on-exit-3.stdout contains 'ok output' and event.data.service == 'nginx'
                  - id: on-skipped
                    uri: direct:plain
                    when: steps.on-exit-0.outcome == 'skipped' and not (steps.on-exit-0.exitCode != null)
                """));
        Event summary = run(trigger());
        assertThat(calls).containsExactly("fail", "ok", "ok3", "plain");
        assertThat(step(summary, "on-exit-0")).containsEntry("outcome", "skipped")
                .containsEntry("reason", "the condition is false: steps.check.exitCode == 0");
        assertThat(step(summary, "on-skipped")).containsEntry("outcome", "ok");
        assertThat(summary.data()).containsEntry("failedStep", "check");
    }

    @Test
    void aStepThatThrowsIsAFailedStepAndTheRouteGoesOn() throws Exception {
        start(actors(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:check?definition=RAW("
                                     + "steps: [{id: crash, uri: direct:boom}, {id: after, uri: direct:ok}])")
                        .to("mock:out");
            }
        });
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        Event summary = run(trigger());
        assertThat(summary.type()).isEqualTo("action/runbook/check/failed");
        assertThat(step(summary, "crash")).containsEntry("outcome", "failed")
                .containsEntry("error", "the step threw IllegalStateException: boom: the actor crashed")
                .doesNotContainKey("resultType");
        assertThat(step(summary, "after")).containsEntry("outcome", "skipped");
        // the exchange went on to the next step of the route, and the next event runs the runbook again
        assertThat(out.getReceivedCounter()).isEqualTo(1);
        Event again = run(trigger());
        assertThat(again.type()).isEqualTo("action/runbook/check/failed");
        assertThat(out.getReceivedCounter()).isEqualTo(2);
        assertThat(calls).containsExactly("boom", "boom");
    }

    @Test
    void aStepWithoutAResultEventIsOkWhenItDoesNotThrow() throws Exception {
        start(actors(), runbookRoute("""
                steps:
                  - id: note
                    uri: direct:plain
                  - id: restart
                    uri: direct:ok
                """));
        Event summary = run(trigger());
        assertThat(summary.data()).containsEntry("outcome", "ok");
        assertThat(step(summary, "note")).containsEntry("outcome", "ok").doesNotContainKey("resultType");
    }

    @Test
    void stepResultsCanAlsoBeSentSomewhere() throws Exception {
        start(actors(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:check?stepResultUri=mock:steps&definition=RAW("
                                     + "steps: [{id: a, uri: direct:ok}, {id: b, uri: direct:plain}, "
                                     + "{id: c, uri: direct:fail}])");
            }
        });
        MockEndpoint steps = context.getEndpoint("mock:steps", MockEndpoint.class);
        Event trigger = trigger();
        Event summary = run(trigger);
        // b has no result event to send
        assertThat(steps.getReceivedExchanges()).extracting(e -> e.getMessage().getBody(Event.class).type())
                .containsExactly("action/fake/ok/ok", "action/fake/fail/failed");
        Event first = steps.getReceivedExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(first.causationId()).isEqualTo(trigger.id());
        assertThat(first.id()).isEqualTo(step(summary, "a").get("resultId"));
        assertThat(steps.getReceivedExchanges().get(0).getMessage().getHeader("CamelCloudEventType"))
                .isEqualTo("action/fake/ok/ok");
    }

    @Test
    void failOnErrorThrowsForCamelErrorHandlingWithTheSummaryInTheBody() throws Exception {
        start(actors(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:check?failOnError=true&definition=RAW("
                                     + "steps: [{id: a, uri: direct:fail}])");
            }
        });
        Exchange done = template.send("direct:in", e -> e.getMessage().setBody(trigger()));
        assertThat(done.getException()).isInstanceOf(RunbookException.class)
                .hasMessageContaining("runbook:check failed: step 'a' failed: fail went wrong");
        Event summary = ((RunbookException) done.getException()).getResult();
        assertThat(summary.type()).isEqualTo("action/runbook/check/failed");
        assertThat(done.getMessage().getBody(Event.class).id()).isEqualTo(summary.id());
        assertThat(done.getMessage().getHeader(RunbookConstants.FAILED_STEP)).isEqualTo("a");
    }

    @Test
    void aBodyThatIsNotAnEventIsRefusedAndNothingRuns() throws Exception {
        start(actors(), runbookRoute("""
                steps:
                  - id: a
                    uri: direct:ok
                """));
        Exchange done = template.send("direct:in", e -> e.getMessage().setBody("not json at all"));
        assertThat(done.getException()).isNull();
        Event summary = done.getMessage().getBody(Event.class);
        assertThat(summary.type()).isEqualTo("action/runbook/check/refused");
        assertThat((String) summary.data().get("error")).startsWith("the message body is not an event: ")
                .endsWith("; no step was run");
        assertThat(summary.data()).containsEntry("steps", List.of());
        assertThat(calls).isEmpty();
    }

    @Test
    void aMapOrJsonBodyIsReadAsTheEvent() throws Exception {
        start(actors(), runbookRoute("steps: [{id: a, uri: direct:ok}]"));
        Exchange done = template.send("direct:in", e -> e.getMessage().setBody(
                "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"test\",\"type\":\"test/trigger\","
                + "\"subject\":\"db01\",\"data\":{}}"));
        Event summary = done.getMessage().getBody(Event.class);
        assertThat(summary.type()).isEqualTo("action/runbook/check/ok");
        assertThat(summary.causationId()).isEqualTo("e-1");
        assertThat(summary.subject()).isEqualTo("db01");
    }

    @Test
    void aFileMayBeJustTheListOfSteps() throws Exception {
        java.nio.file.Files.writeString(runbooks.resolve("list.yaml"), """
                # no name, no onFailure: the defaults
                - id: a
                  description: the first check
                  uri: direct:fail
                - id: b
                  uri: direct:ok
                """);
        start(actors(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:list?file=file:" + runbooks.resolve("list.yaml"));
            }
        });
        Event summary = run(trigger());
        assertThat(summary.type()).isEqualTo("action/runbook/list/failed");
        assertThat(step(summary, "b")).containsEntry("outcome", "skipped");
    }
}
