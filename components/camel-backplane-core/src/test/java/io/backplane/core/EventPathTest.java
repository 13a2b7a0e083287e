package io.backplane.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class EventPathTest {

    final Event event = Event.builder("monitor/x").subject("web01")
            .data(Map.of("alert", Map.of("name", "a-7", "severity", 3), "load", "0.75", "text", "high")).build();

    @Test
    void readsNestedFields() {
        assertThat(EventPath.compile("subject").read(event)).isEqualTo("web01");
        assertThat(EventPath.compile("data.alert.name").read(event)).isEqualTo("a-7");
        assertThat(EventPath.compile("data.alert.severity").readDouble(event)).isEqualTo(3.0);
        assertThat(EventPath.compile("data.load").readDouble(event)).isEqualTo(0.75);
        assertThat(EventPath.compile("data.text").readDouble(event)).isNaN();
        assertThat(EventPath.compile("data.alert.name.deeper").read(event)).isNull();
        assertThat(EventPath.compile("data.missing").readDouble(event)).isNaN();
    }

    @Test
    void refusesWhatIsNotAPath() {
        assertThatThrownBy(() -> EventPath.compile("data..x")).hasMessageContaining("not an event path");
        assertThatThrownBy(() -> EventPath.compile("data.$(x)")).hasMessageContaining("not an event path");
        assertThatThrownBy(() -> EventPath.compile(" ")).hasMessageContaining("empty");
    }
}
