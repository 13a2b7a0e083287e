package io.backplane.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    static final String VALID = """
            {"specversion":"1.0","id":"e1","source":"/shop","type":"app/shop/client-load","subject":"web01",
             "time":"2026-11-24T17:10:48.123Z","data":{"load":0.93,"tags":["a","b"],"nested":{"x":1}}}""";

    private final EventCodec codec = EventCodec.defaults();

    @Test
    void parsesAStructuredEventIntoAReadOnlyMap() {
        Event e = codec.parse(VALID);
        assertThat(e.id()).isEqualTo("e1");
        assertThat(e.type()).isEqualTo("app/shop/client-load");
        assertThat(e.subject()).isEqualTo("web01");
        assertThat(e.source()).isEqualTo("/shop");
        assertThat(e.data()).containsEntry("load", 0.93);
        assertThat(e.get("data")).isInstanceOf(Map.class);
        assertThatThrownBy(() -> e.data().put("load", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> tags = (List<Object>) e.data().get("tags");
        assertThatThrownBy(() -> tags.add("c")).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) e.data().get("nested");
        assertThatThrownBy(nested::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsTheOriginalJsonSoAnUnchangedEventIsNotWrittenAgain() {
        byte[] json = VALID.getBytes(StandardCharsets.UTF_8);
        Event e = codec.parse(json);
        assertThat(e.toJson()).isSameAs(json);
    }

    @Test
    void fillsTimeAndDataWhenAbsentAndRoundTrips() {
        Event e = codec.parse("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\"}");
        assertThat(e.time()).isNotBlank();
        assertThat(e.data()).isEmpty();
        Event again = codec.parse(e.toJson());
        assertThat(again).isEqualTo(e);
    }

    @Test
    void builderMakesAValidEventWithCausation() {
        Event cause = codec.parse(VALID);
        Event e = Event.builder("action/http/notify/ok").subject("web01").causedBy(cause)
                .data(Map.of("status", 200)).build();
        assertThat(e.causationId()).isEqualTo("e1");
        assertThat(e.id()).hasSize(36);
        assertThat(e.time()).endsWith("Z");
        assertThat(codec.parse(e.toJson()).data()).containsEntry("status", 200);
    }

    @Test
    void malformedAndInvalidInputNamesTheProblem() {
        assertInvalid("{not json", "malformed JSON");
        assertInvalid("", "empty");
        assertInvalid("[1,2]", "must be a JSON object");
        assertInvalid("{\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\"}", "specversion");
        assertInvalid("{\"specversion\":\"0.3\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\"}", "unsupported specversion");
        assertInvalid("{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"a/b\"}", "'id'");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"type\":\"a/b\"}", "'source'");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\"}", "'type'");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"s\",\"type\":\"a/b\"}", "non-empty string");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a//b\"}", "empty segment");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/*\"}", "wildcards");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\",\"data\":5}", "data must be a JSON object");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\",\"time\":\"yesterday\"}", "RFC 3339");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\",\"Bad-Name\":\"v\"}", "lower-case");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\",\"data_base64\":\"AA==\"}", "data_base64");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"id\":\"y\",\"source\":\"s\",\"type\":\"a/b\"}", "Duplicate field");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\"} {}", "malformed JSON");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\",\"datacontenttype\":\"text/plain\"}", "not JSON");
    }

    @Test
    void oversizedEventsAreRefusedBeforeParsing() {
        EventCodec small = new EventCodec(100);
        String big = "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a/b\",\"data\":{\"p\":\""
                     + "x".repeat(200) + "\"}}";
        assertThatThrownBy(() -> small.parse(big)).isInstanceOfSatisfying(InvalidEventException.class,
                e -> {
                    assertThat(e.isTooLarge()).isTrue();
                    assertThat(e).hasMessageContaining("over the limit of 100 bytes");
                });
    }

    @Test
    void batchesAreAllOrNothingAndNameTheBadIndex() {
        String ok = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"s\",\"type\":\"a/b\"}";
        List<Event> events = codec.parseBatch(("[" + ok.formatted("1") + "," + ok.formatted("2") + "]")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(events).extracting(Event::id).containsExactly("1", "2");

        assertThatThrownBy(() -> codec.parseBatch(("[" + ok.formatted("1") + ",{\"id\":\"2\"}]")
                .getBytes(StandardCharsets.UTF_8))).hasMessageStartingWith("event 1 of the batch: missing required");
        assertThatThrownBy(() -> codec.parseBatch("[]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("batch is empty");
        assertThatThrownBy(() -> codec.parseBatch("{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> codec.parseBatch(("[" + ok.formatted("1")).getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("malformed JSON");
        EventCodec small = new EventCodec(80);
        assertThatThrownBy(() -> small.parseBatch(("[" + ok.formatted("1") + "," + ok.formatted("x".repeat(50)) + "]")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.getMessage())
                        .startsWith("event 1 of the batch").contains("over the limit"));
    }

    @Test
    void plainDataBecomesAnEventOfTheGivenTag() {
        Event e = codec.fromData("app/shop/client-load", "web01", null,
                "{\"load\":2.5}".getBytes(StandardCharsets.UTF_8));
        assertThat(e.type()).isEqualTo("app/shop/client-load");
        assertThat(e.subject()).isEqualTo("web01");
        assertThat(e.data()).containsEntry("load", 2.5);
        assertThatThrownBy(() -> codec.fromData("a/b", null, null, "[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("data must be a JSON object");
    }

    @Test
    void mapsMissingEnvelopeAttributesGetDefaults() {
        Event e = codec.fromMap(Map.of("type", "a/b", "data", Map.of("k", "v")));
        assertThat(e.id()).isNotBlank();
        assertThat(e.source()).isEqualTo("backplane");
        assertThat(e.get("specversion")).isEqualTo("1.0");
    }

    private void assertInvalid(String json, String fragment) {
        assertThatThrownBy(() -> codec.parse(json)).as(json).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(fragment);
    }
}
