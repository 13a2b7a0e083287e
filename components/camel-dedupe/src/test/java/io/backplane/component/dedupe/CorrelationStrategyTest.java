package io.backplane.component.dedupe;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.EventHeaders;
import io.backplane.core.Events;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The correlation strategy under Camel's aggregate, on a hand-moved clock. */
class CorrelationStrategyTest extends DedupeTestSupport {

    private void route(String tags, int count) throws Exception {
        CorrelationStrategy strategy = new CorrelationStrategy();
        strategy.setTags(tags);
        strategy.setCount(count);
        strategy.setWithin(Duration.ofMinutes(5));
        strategy.setTag("incident/web/degraded");
        strategy.setClock(clock);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                // as a bus consumer delivers: the event in the body, its attributes as headers
                from("direct:in").process(e -> Events.toMessage(e.getMessage().getBody(Event.class), e.getMessage()))
                        .filter(strategy)
                        .aggregate(header(EventHeaders.SUBJECT), strategy)
                        .completionPredicate(exchangeProperty(CorrelationStrategy.COMPLETE).isEqualTo(true))
                        .completionTimeout(300_000).discardOnCompletionTimeout()
                        .to("mock:combined");
            }
        });
    }

    private void send(String tag, String subject, int n) {
        template.sendBody("direct:in", event(tag, subject, n));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parts(Event combined) {
        return (List<Map<String, Object>>) combined.data().get("events");
    }

    @Test
    void allOfTheTagsForOneSubjectMakeOneCombinedEvent() throws Exception {
        route("monitor/*/HighLoad/firing, monitor/probe/web/down, deploy/**", 0);
        MockEndpoint combined = mock("combined");
        send("monitor/alertmanager/HighLoad/firing", "web01", 1);
        send("monitor/probe/web/down", "web02", 2); // another subject
        send("monitor/prometheus/HighLoad/firing", "web01", 3); // same pattern again: the later one is kept
        send("monitor/probe/db/down", "web01", 4); // not wanted
        send("monitor/probe/web/down", "web01", 5);
        assertThat(combined.getReceivedCounter()).isZero();
        send("deploy/web/v2/done", "web01", 6);

        // the aggregate hands completed groups on after the sending call may have returned
        await().atMost(WAIT).until(() -> combined.getReceivedCounter() == 1);
        Event e = combined.getExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(e.type()).isEqualTo("incident/web/degraded");
        assertThat(e.subject()).isEqualTo("web01");
        assertThat(e.source()).isEqualTo("backplane/correlate");
        assertThat(e.data()).containsEntry("count", 3).containsEntry("withinMs", 300000L)
                .containsEntry("tags", List.of("monitor/*/HighLoad/firing", "monitor/probe/web/down", "deploy/**"));
        assertThat(parts(e)).extracting(p -> p.get("type")).containsExactly("monitor/prometheus/HighLoad/firing",
                "monitor/probe/web/down", "deploy/web/v2/done");
        assertThat(parts(e)).extracting(p -> (Object) ((Map<?, ?>) p.get("data")).get("n")).containsExactly(3, 5, 6);
        String lastId = (String) parts(e).get(2).get("id");
        assertThat(e.causationId()).isEqualTo(lastId);
        assertThat(combined.getExchanges().get(0).getMessage().getHeader(EventHeaders.TYPE))
                .isEqualTo("incident/web/degraded");

        // after completion the subject starts over
        send("deploy/web/v3/done", "web01", 7);
        send("monitor/probe/web/down", "web01", 8);
        send("monitor/x/HighLoad/firing", "sentinel", 9);
        send("monitor/probe/web/down", "sentinel", 9);
        send("deploy/x", "sentinel", 9);
        await().atMost(WAIT).until(() -> combined.getReceivedCounter() == 2);
        assertThat(events(combined)).extracting(Event::subject).containsExactly("web01", "sentinel");
    }

    @Test
    void anyNOfTheTags() throws Exception {
        route("a/one,a/two,a/three", 2);
        MockEndpoint combined = mock("combined");
        send("a/one", "s1", 1);
        send("a/one", "s2", 2);
        send("a/one", "s1", 3); // the same tag twice is one tag
        assertThat(combined.getReceivedCounter()).isZero();
        send("a/three", "s2", 4);
        send("a/two", "s1", 5);
        await().atMost(WAIT).until(() -> combined.getReceivedCounter() == 2);
        assertThat(events(combined)).extracting(Event::subject).containsExactly("s2", "s1");
        assertThat(parts(events(combined).get(1))).extracting(p -> p.get("type")).containsExactly("a/one", "a/two");
    }

    @Test
    void eventsOlderThanWithinNoLongerCount() throws Exception {
        route("a/one,a/two", 0);
        MockEndpoint combined = mock("combined");
        send("a/one", "s1", 1);
        clock.advance(Duration.ofMinutes(5).plusMillis(1));
        send("a/two", "s1", 2);
        assertThat(combined.getReceivedCounter()).isZero();
        clock.advance(Duration.ofMinutes(4));
        send("a/one", "s1", 3);
        await().atMost(WAIT).until(() -> combined.getReceivedCounter() == 1);
        assertThat(parts(events(combined).get(0))).extracting(p -> (Object) ((Map<?, ?>) p.get("data")).get("n"))
                .containsExactly(2, 3);
    }

    @Test
    void eventsWithoutSubjectAreFilteredOut() throws Exception {
        route("a/one", 0);
        send("a/one", null, 1);
        send("a/one", "s1", 2);
        await().atMost(WAIT).until(() -> mock("combined").getReceivedCounter() == 1);
        assertThat(events(mock("combined"))).extracting(Event::subject).containsExactly("s1");
    }

    @Test
    void badSettingsAreRefused() {
        CorrelationStrategy s = new CorrelationStrategy();
        assertThatThrownBy(() -> s.setTags(" , ")).hasMessageContaining("correlation tags is empty");
        assertThatThrownBy(() -> s.setTags("a/b*")).hasMessageContaining("mixes '*' with text");
        s.setTags("a/one,a/two");
        assertThatThrownBy(() -> s.setCount(3))
                .hasMessageContaining("count must be between 0 (all) and the number of tags (2), was 3");
        assertThatThrownBy(() -> s.setTag("incident/*")).hasMessageContaining("wildcards belong in globs");
        assertThatThrownBy(() -> s.matches(null)).hasMessageContaining("correlation needs tag");
        s.setTag("incident/x");
        assertThatThrownBy(() -> s.aggregate(null, null)).hasMessageContaining("correlation needs within > 0");
        assertThatThrownBy(() -> s.setWithin(Duration.ZERO)).hasMessageContaining("correlation needs within > 0 "
                                                                                  + "(e.g. 5m), was PT0S");
    }
}
