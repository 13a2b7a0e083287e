package io.backplane.core;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.apache.camel.CamelContext;
import org.apache.camel.TypeConversionException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventConvertersTest {

    @Test
    void camelConvertsJsonToEventsAndBack() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            Event e = context.getTypeConverter().mandatoryConvertTo(Event.class, EventCodecTest.VALID);
            assertThat(e.subject()).isEqualTo("web01");
            byte[] bytes = context.getTypeConverter().mandatoryConvertTo(byte[].class, e);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"client-load\"".substring(1));
            Event fromStream = context.getTypeConverter().mandatoryConvertTo(Event.class,
                    new ByteArrayInputStream(bytes));
            assertThat(fromStream).isEqualTo(e);
            assertThat(context.getTypeConverter().mandatoryConvertTo(String.class, e)).startsWith("{");
            assertThat(context.getTypeConverter().mandatoryConvertTo(java.io.InputStream.class, e).readAllBytes())
                    .isEqualTo(e.toJson());
            assertThatThrownBy(() -> context.getTypeConverter().mandatoryConvertTo(Event.class, "{oops"))
                    .isInstanceOf(TypeConversionException.class)
                    .hasRootCauseInstanceOf(com.fasterxml.jackson.core.JsonParseException.class)
                    .hasMessageContaining("malformed JSON");
        }
    }
}
