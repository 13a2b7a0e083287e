package io.backplane.component.dedupe;

import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repository alone, and under Camel's idempotentConsumer EIP. */
class TimeWindowIdempotentRepositoryTest extends DedupeTestSupport {

    private TimeWindowIdempotentRepository repository(Duration window, int maxKeys) throws Exception {
        TimeWindowIdempotentRepository r = new TimeWindowIdempotentRepository(window, maxKeys);
        r.setClock(clock);
        r.start();
        return r;
    }

    @Test
    void aKeyIsADuplicateWithinItsWindowOnly() throws Exception {
        TimeWindowIdempotentRepository r = repository(Duration.ofMinutes(5), 1000);
        assertThat(r.add("web01")).isTrue();
        assertThat(r.add("db01")).isTrue();
        clock.advance(Duration.ofMinutes(4));
        assertThat(r.add("web01")).isFalse();
        assertThat(r.contains("web01")).isTrue();
        // the window runs from the add that succeeded
        clock.advance(Duration.ofMinutes(1));
        assertThat(r.contains("web01")).isFalse();
        assertThat(r.add("web01")).isTrue();
        assertThat(r.add("db01")).isTrue();
        assertThat(r.getDuplicates()).isEqualTo(1);
        assertThat(r.remove("web01")).isTrue();
        assertThat(r.add("web01")).isTrue();
        r.clear();
        assertThat(r.getSize()).isZero();
    }

    @Test
    void maxKeysEvictsTheKeyClosestToExpiryAndCountsIt() throws Exception {
        TimeWindowIdempotentRepository r = repository(Duration.ofHours(1), 1000);
        for (int i = 0; i < 1500; i++) {
            r.add("k" + i);
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(r.getSize()).isEqualTo(1000);
        assertThat(r.getEvictions()).isEqualTo(500);
        assertThat(r.add("k0")).as("evicted, so new again").isTrue();
        assertThat(r.add("k1499")).isFalse();
    }

    @Test
    void aRepositoryWithoutAWindowIsRefusedAtStart() {
        TimeWindowIdempotentRepository r = new TimeWindowIdempotentRepository();
        assertThatThrownBy(r::start).hasMessageContaining("TimeWindowIdempotentRepository needs a window > 0 "
                                                          + "(e.g. window: 5m), was null");
        assertThatThrownBy(() -> new TimeWindowIdempotentRepository().setMaxKeys(0))
                .hasMessageContaining("maxKeys must be >= 1, was 0");
    }

    @Test
    void onceWithinAWindowThroughCamelsIdempotentConsumer() throws Exception {
        TimeWindowIdempotentRepository r = new TimeWindowIdempotentRepository(Duration.ofMinutes(5), 100);
        r.setClock(clock);
        context.getRegistry().bind("onceIn5m", r);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").idempotentConsumer(simple("${header.CamelCloudEventSubject}"))
                        .idempotentRepository("onceIn5m").to("mock:out");
            }
        });
        MockEndpoint out = mock("out");
        for (String s : new String[] { "web01", "web01", "db01", "web01" }) {
            template.sendBodyAndHeader("direct:in", event("a/b", s), "CamelCloudEventSubject", s);
        }
        clock.advance(Duration.ofMinutes(5));
        template.sendBodyAndHeader("direct:in", event("a/b", "web01"), "CamelCloudEventSubject", "web01");
        assertThat(events(out)).extracting(e -> e.subject()).containsExactly("web01", "db01", "web01");
    }
}
