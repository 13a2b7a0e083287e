package io.backplane.component.beacon;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.backplane.core.Event;
import org.apache.camel.Consumer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The consumer with scripted readings: one filter per series, events as the rules see them. */
class BeaconConsumerTest extends BeaconTestSupport {

    /** Hands out one prepared list of readings per poll; nothing once they are used up. */
    private static final class ScriptedReader implements MetricReader {
        final Deque<List<Reading>> polls = new ConcurrentLinkedDeque<>();
        volatile boolean started;

        @Override
        public void start() {
            started = true;
        }

        @Override
        public List<Reading> read() {
            List<Reading> next = polls.poll();
            return next == null ? List.of() : next;
        }

        boolean done() {
            return polls.isEmpty();
        }
    }

    private static MetricReader.Reading disk(String mount, double value) {
        return new MetricReader.Reading(mount, value, Map.of("mount", mount));
    }

    private BeaconConsumer consumer(String uri, MetricReader reader) throws Exception {
        start();
        BeaconEndpoint endpoint = context.getEndpoint(uri, BeaconEndpoint.class);
        Consumer consumer = endpoint.createConsumer(exchange -> received.add(exchange));
        ((BeaconConsumer) consumer).withReader(reader);
        context.addService(consumer, true, true);
        return (BeaconConsumer) consumer;
    }

    @Test
    void eachMountHasItsOwnHysteresis() throws Exception {
        ScriptedReader reader = new ScriptedReader();
        reader.polls.add(List.of(disk("/", 50), disk("/var", 95)));
        reader.polls.add(List.of(disk("/", 91), disk("/var", 87)));
        reader.polls.add(List.of(disk("/", 86), disk("/var", 84)));
        consumer("beacon:disk?above=90&below=85&interval=20ms&initialDelay=0&host=web1", reader);
        await().atMost(WAIT).until(reader::done);
        List<Event> events = events(4);
        List<String> seen = new ArrayList<>();
        for (Event e : events) {
            seen.add(e.data().get("mount") + " " + e.data().get("value") + " " + e.data().get("reason") + " "
                     + e.data().get("state"));
        }
        assertThat(seen).containsExactly("/ 50.0 initial normal", "/var 95.0 initial high", "/ 91.0 threshold high",
                "/var 84.0 threshold normal");
        Event last = events.get(3);
        assertThat(last.type()).isEqualTo("monitor/beacon/web1/disk");
        assertThat(last.subject()).isEqualTo("web1");
        assertThat(last.data()).containsEntry("previousState", "high").containsEntry("previousValue", 95.0)
                .containsEntry("above", 90.0).containsEntry("below", 85.0).containsEntry("metric", "disk");
    }

    @Test
    void aSeriesThatDisappearsStartsAfreshWhenItComesBack() throws Exception {
        ScriptedReader reader = new ScriptedReader();
        reader.polls.add(List.of(disk("/", 10), disk("/mnt/usb", 10)));
        reader.polls.add(List.of(disk("/", 10)));
        reader.polls.add(List.of(disk("/", 10), disk("/mnt/usb", 10)));
        consumer("beacon:disk?deadband=1&interval=20ms&initialDelay=0", reader);
        await().atMost(WAIT).until(reader::done);
        List<Event> events = events(3);
        assertThat(events).extracting(e -> e.data().get("mount") + " " + e.data().get("reason"))
                .containsExactly("/ initial", "/mnt/usb initial", "/mnt/usb initial");
    }

    @Test
    void deadbandThroughTheConsumer() throws Exception {
        ScriptedReader reader = new ScriptedReader();
        for (double v : new double[] {40, 42, 46, 47, 40}) {
            reader.polls.add(List.of(new MetricReader.Reading("", v, Map.of())));
        }
        consumer("beacon:memory?deadband=5&interval=20ms&initialDelay=0", reader);
        await().atMost(WAIT).until(reader::done);
        List<Event> events = events(3);
        assertThat(events).extracting(e -> e.data().get("value") + " " + e.data().get("previousValue") + " "
                                           + e.data().get("reason"))
                .containsExactly("40.0 null initial", "46.0 40.0 change", "40.0 46.0 change");
        assertThat(events.get(0).data()).doesNotContainKeys("state", "above", "below");
        assertThat(reader.started).isTrue();
    }

    @Test
    void aBeaconWhosePollFailsDoesNotStopTheOthers() throws Exception {
        MetricReader failing = new MetricReader() {
            @Override
            public void start() {
            }

            @Override
            public List<Reading> read() {
                throw new IllegalStateException("beacon:disk: mount point '/mnt/usb' is no longer mounted");
            }
        };
        BeaconConsumer broken = consumer("beacon:disk?interval=20ms&initialDelay=0", failing);
        context.addRoutes(collect("beacon:memory?interval=50ms&initialDelay=200ms"));
        await().atMost(WAIT).until(() -> broken.getErrorCounter() >= 3 && received.size() >= 2);
        assertThat(received).allSatisfy(e -> assertThat(e.getMessage().getBody(Event.class).type()).endsWith("/memory"));
    }
}
