package io.backplane.core;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventsTest {

    private CamelContext context;
    private final EventCodec codec = EventCodec.defaults();

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    /** An exchange as a bus consumer hands it to a route: the received event in the body and the headers. */
    private Exchange received(Event event) {
        Exchange exchange = new DefaultExchange(context);
        Events.toMessage(event, exchange.getMessage());
        return exchange;
    }

    @Test
    void headersMirrorTheAttributesAndStaleOnesAreRemoved() {
        Event cause = Event.builder("app/shop/client-load").subject("web01").causationId("c0").build();
        Exchange exchange = received(cause);
        assertThat(exchange.getMessage().getHeaders()).containsEntry(EventHeaders.TYPE, "app/shop/client-load")
                .containsEntry(EventHeaders.SUBJECT, "web01").containsEntry(EventHeaders.CAUSATION_ID, "c0")
                .containsEntry(EventHeaders.ID, cause.id()).containsEntry(EventHeaders.VERSION, "1.0");
        Events.toMessage(Event.builder("action/x/ok").build(), exchange.getMessage());
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKeys(EventHeaders.SUBJECT,
                EventHeaders.CAUSATION_ID);
    }

    @Test
    void aDataMapBecomesANewEventCausedByTheReceivedOne() {
        Event cause = Event.builder("app/shop/client-load").subject("web01").build();
        Exchange exchange = received(cause);
        exchange.getMessage().setBody(Map.of("scaled", true));
        Event result = Events.fromExchange(exchange, codec, "action/http/scale/ok");
        assertThat(result.type()).isEqualTo("action/http/scale/ok");
        assertThat(result.subject()).isEqualTo("web01");
        assertThat(result.causationId()).isEqualTo(cause.id());
        assertThat(result.data()).containsEntry("scaled", true);
    }

    @Test
    void jsonTextIsDataOrAFullEvent() {
        Exchange exchange = received(Event.builder("app/a/b").build());
        exchange.getMessage().setBody("{\"load\": 0.9}");
        assertThat(Events.fromExchange(exchange, codec, "action/a/ok").data()).containsEntry("load", 0.9);
        exchange.getMessage().setBody(
                "{\"specversion\":\"1.0\",\"id\":\"full\",\"source\":\"s\",\"type\":\"x/y\",\"data\":{}}");
        assertThat(Events.fromExchange(exchange, codec, null).id()).isEqualTo("full");
        exchange.getMessage().setBody("[1, 2]");
        assertThatThrownBy(() -> Events.fromExchange(exchange, codec, "a/b"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("must be a JSON object");
    }

    @Test
    void anEventIsPublishedAsItIsOrReTaggedWithItsCause() {
        Event event = Event.builder("app/a/b").subject("s").data(Map.of("k", 1)).build();
        Exchange exchange = received(event);
        assertThat(Events.fromExchange(exchange, codec, null)).isSameAs(event);
        assertThat(Events.fromExchange(exchange, codec, "app/a/b")).isSameAs(event);
        Event retagged = Events.fromExchange(exchange, codec, "audit/a/b");
        assertThat(retagged.type()).isEqualTo("audit/a/b");
        assertThat(retagged.causationId()).isEqualTo(event.id());
        assertThat(retagged.data()).isEqualTo(event.data());
    }

    @Test
    void nothingToPublishIsAClearError() {
        Exchange exchange = new DefaultExchange(context);
        assertThatThrownBy(() -> Events.fromExchange(exchange, codec, null)).hasMessageContaining("empty");
        exchange.getMessage().setBody(Map.of("k", 1));
        assertThatThrownBy(() -> Events.fromExchange(exchange, codec, null)).hasMessageContaining("name the tag");
        exchange.getMessage().setBody(Map.of("big", "x".repeat(2000)));
        assertThatThrownBy(() -> Events.fromExchange(exchange, new EventCodec(1000), "a/b"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.isTooLarge()).isTrue());
    }
}
