package io.backplane.component.beacon;

import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.EventHeaders;
import io.backplane.core.Tags;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real readings of this Linux machine through OSHI, end to end through a route. */
class BeaconReadingsTest extends BeaconTestSupport {

    private static final String FAST = "interval=200ms&initialDelay=100ms";

    private String host() {
        return context.getComponent("beacon", BeaconComponent.class).hostName();
    }

    @Test
    void loadAverageIsReportedWithAllThreeAverages() throws Exception {
        start(collect("beacon:load?" + FAST + "&average=5"));
        Event event = next();
        String host = host();
        assertThat(event.type()).isEqualTo("monitor/beacon/" + Tags.segment(host) + "/load");
        assertThat(event.subject()).isEqualTo(host);
        assertThat(event.source()).isEqualTo("backplane/beacon/" + Tags.segment(host));
        Map<String, Object> data = data(event);
        assertThat(data).containsEntry("metric", "load").containsEntry("unit", "load")
                .containsEntry("reason", "initial").containsEntry("average", 5)
                .containsKeys("load1", "load5", "load15")
                .doesNotContainKeys("state", "previousState", "previousValue");
        assertThat(value(event)).isEqualTo(((Number) data.get("load5")).doubleValue()).isGreaterThanOrEqualTo(0.0);
        // no thresholds, no deadband: every reading
        Event second = next();
        assertThat(second.data()).containsEntry("reason", "always").containsKey("previousValue");
    }

    @Test
    void cpuPercentIsBetweenZeroAndHundred() throws Exception {
        start(collect("beacon:cpu?" + FAST));
        for (Event event : events(3)) {
            assertThat(event.type()).endsWith("/cpu");
            assertThat(value(event)).isBetween(0.0, 100.0);
            assertThat(event.data()).containsEntry("unit", "%");
            assertThat((Integer) event.data().get("cores")).isPositive();
        }
    }

    @Test
    void memoryAndSwapPercentAreBetweenZeroAndHundred() throws Exception {
        start(collect("beacon:memory?" + FAST), collect("beacon:swap?" + FAST));
        await().atMost(WAIT).until(() -> received.stream().map(e -> e.getMessage().getBody(Event.class).type())
                .distinct().count() == 2);
        for (Exchange exchange : received) {
            Event event = exchange.getMessage().getBody(Event.class);
            assertThat(value(event)).isBetween(0.0, 100.0);
            long total = ((Number) event.data().get("totalBytes")).longValue();
            long used = ((Number) event.data().get("usedBytes")).longValue();
            assertThat(used).isBetween(0L, total);
            if (event.type().endsWith("/memory")) {
                assertThat(total).isPositive();
                assertThat(value(event)).isPositive();
            }
        }
    }

    @Test
    void diskOfTheRootFileSystem() throws Exception {
        start(collect("beacon:disk?mount=/&" + FAST));
        Event event = next();
        assertThat(event.type()).endsWith("/disk");
        Map<String, Object> data = data(event);
        assertThat(data).containsEntry("mount", "/").containsEntry("unit", "%").containsKey("fsType");
        assertThat(value(event)).isBetween(0.0, 100.0);
        long total = ((Number) data.get("totalBytes")).longValue();
        long used = ((Number) data.get("usedBytes")).longValue();
        long available = ((Number) data.get("availableBytes")).longValue();
        assertThat(total).isPositive();
        assertThat(used + available).isBetween(1L, total);
        // as df computes Use%
        assertThat(value(event)).isCloseTo(100.0 * used / (used + available), org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void diskWithoutMountReportsEveryLocalFileSystemIncludingRoot() throws Exception {
        start(collect("beacon:disk?" + FAST));
        await().atMost(WAIT).until(() -> mounts().contains("/"));
        assertThat(received).allSatisfy(e -> assertThat(
                value(e.getMessage().getBody(Event.class))).isBetween(0.0, 100.0));
    }

    private List<Object> mounts() {
        return received.stream().map(e -> e.getMessage().getBody(Event.class).data().get("mount")).toList();
    }

    @Test
    void processBeaconFindsJavaAndReportsAMadeUpNameAsStopped() throws Exception {
        start(collect("beacon:process?name=java,no-such-process-4711&" + FAST));
        List<Event> events = events(2);
        Event java = events.stream().filter(e -> "java".equals(e.data().get("process"))).findFirst().orElseThrow();
        Event madeUp = events.stream().filter(e -> "no-such-process-4711".equals(e.data().get("process")))
                .findFirst().orElseThrow();
        assertThat(java.type()).endsWith("/process");
        assertThat(java.data()).containsEntry("state", "running").containsEntry("reason", "initial")
                .containsEntry("unit", "processes");
        // this test's own JVM is one of them; process counts are whole numbers
        assertThat((Long) java.data().get("value")).isPositive();
        assertThat(((Number) java.data().get("count")).intValue()).isPositive();
        assertThat(madeUp.data()).containsEntry("state", "stopped").containsEntry("count", 0)
                .containsEntry("value", 0L);
    }

    @Test
    void processBeaconEmitsOnlyOnStateChangeByDefault() throws Exception {
        start(collect("beacon:process?name=no-such-process-4711&interval=100ms&initialDelay=0"));
        next();
        // several more polls pass without an event: the state stays stopped
        BeaconConsumer consumer = (BeaconConsumer) context.getRoutes().get(0).getConsumer();
        long polls = consumer.getCounter();
        await().atMost(WAIT).until(() -> consumer.getCounter() >= polls + 3);
        assertThat(received).isEmpty();
    }

    @Test
    void thresholdSurelyCrossedGivesHighWithHeaders() throws Exception {
        start(collect("beacon:memory?above=0.0001&" + FAST));
        await().atMost(WAIT).until(() -> !received.isEmpty());
        Exchange exchange = received.take();
        Event event = exchange.getMessage().getBody(Event.class);
        assertThat(event.data()).containsEntry("state", "high").containsEntry("above", 0.0001)
                .containsEntry("below", 0.0001);
        assertThat(exchange.getMessage().getHeader(BeaconConstants.METRIC)).isEqualTo("memory");
        assertThat(exchange.getMessage().getHeader(BeaconConstants.STATE)).isEqualTo("high");
        assertThat(exchange.getMessage().getHeader(BeaconConstants.REASON)).isEqualTo("initial");
        assertThat(exchange.getMessage().getHeader(EventHeaders.TYPE)).isEqualTo(event.type());
        assertThat(exchange.getMessage().getHeader(EventHeaders.SUBJECT)).isEqualTo(host());
    }

    @Test
    void hostOptionOverridesTheHostNameAndIsMadeOneTagSegment() throws Exception {
        start(collect("beacon:swap?host=web 1/eu*&" + FAST));
        Event event = next();
        assertThat(event.type()).isEqualTo("monitor/beacon/web_1_eu_/swap");
        assertThat(event.subject()).isEqualTo("web 1/eu*");
    }

    @Test
    void componentHostOptionAppliesToAllEndpoints() throws Exception {
        context.getComponent("beacon", BeaconComponent.class).setHost("db-7");
        start(collect("beacon:swap?" + FAST));
        assertThat(next().type()).isEqualTo("monitor/beacon/db-7/swap");
    }

    @Test
    void defaultHostIsTheShortHostName() throws Exception {
        start();
        String host = host();
        assertThat(host).isNotBlank().doesNotContain(" ");
        if (!Character.isDigit(host.charAt(0))) {
            assertThat(host).doesNotContain(".");
        }
        assertThat(BeaconComponent.shortName("web1.example.com")).isEqualTo("web1");
        assertThat(BeaconComponent.shortName("10.0.0.1")).isEqualTo("10.0.0.1");
    }
}
