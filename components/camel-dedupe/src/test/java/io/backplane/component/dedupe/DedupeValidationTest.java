package io.backplane.component.dedupe;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every bad setting and bad event is refused with a message that says what to fix. */
class DedupeValidationTest extends DedupeTestSupport {

    private Throwable startFailure(String uri) {
        try {
            start(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to(uri);
                }
            });
        } catch (Exception e) {
            return refusal(e);
        }
        throw new AssertionError("the route started: " + uri);
    }

    /** The IllegalArgumentException in a start failure's cause chain: the message meant for the user. */
    static Throwable refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t;
            }
        }
        throw new AssertionError("no IllegalArgumentException in " + e, e);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dedupe:a                                  | window is required and must be > 0",
            "dedupe:a?window=0                         | window is required and must be > 0",
            "dedupe:a?mode=count&window=1m             | mode=count needs count between 1 and 10000, was 0",
            "dedupe:a?mode=count&count=10001&window=1m | mode=count needs count between 1 and 10000, was 10001",
            "dedupe:a?mode=rate&window=1m              | mode=rate needs limit between 1 and 10000, was 0",
            "dedupe:a?count=3&window=1m                | count only applies to mode=count (mode is once)",
            "dedupe:a?mode=count&count=2&limit=3&window=1m | limit only applies to mode=rate (mode is count)",
            "dedupe:a?maxDelay=1m&window=1m            | maxDelay only applies to mode=debounce",
            "dedupe:a?window=1m&maxKeys=0              | maxKeys must be >= 1, was 0",
            "dedupe:a?window=1m&key=data..x            | 'data..x' is not an event path like data.service",
            "dedupe:a?mode=sometimes&window=1m         | sometimes",
            "dedupe:a?window=soon                      | dedupe:a: window 'soon' is not a duration (e.g. 5m",
            "dedupe:a?mode=debounce&window=1s&maxDelay=x | dedupe:a: maxDelay 'x' is not a duration",
    })
    void badSettingsFailAtStart(String uri, String message) {
        assertThat(startFailure(uri)).hasMessageContaining(message);
    }

    @Test
    void endpointsOfOneNameMustAgree() {
        Throwable t;
        try {
            start(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:a").to("dedupe:x?window=1m");
                    from("direct:b").to("dedupe:x?window=2m");
                }
            });
            throw new AssertionError("started");
        } catch (Exception e) {
            t = e;
        }
        assertThat(refusal(t)).hasMessageContaining("dedupe:x is already used with mode=once window=60000ms")
                .hasMessageContaining("asks for mode=once window=120000ms");
    }

    @Test
    void oneConsumerPerName() {
        Throwable t;
        try {
            start(new RouteBuilder() {
                @Override
                public void configure() {
                    from("dedupe:x").to("mock:a");
                    from("dedupe:x?maxKeys=5").to("mock:b");
                }
            });
            throw new AssertionError("started");
        } catch (Exception e) {
            t = e;
        }
        assertThat(refusal(t)).hasMessageContaining("dedupe:x already has a consumer");
    }

    @Test
    void anEventWithoutTheKeyFailsTheExchangeAndIsCounted() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("dedupe:a?window=1m").to("mock:out");
            }
        });
        assertThatThrownBy(() -> template.sendBody("direct:in", event("a/b", null)))
                .isInstanceOf(CamelExecutionException.class).rootCause()
                .hasMessageContaining("dedupe:a: the event has no key at 'subject' (event ");
        assertThat(dedupe.stats("a").missingKey()).isEqualTo(1);
        assertThat(mock("out").getReceivedCounter()).isZero();
    }

    @Test
    void aBodyThatIsNotAnEventFails() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("dedupe:a?window=1m");
                from("direct:debounce").to("dedupe:b?mode=debounce&window=1m&keyLanguage=simple&key=x");
            }
        });
        assertThatThrownBy(() -> template.sendBody("direct:in", "not json"))
                .rootCause().hasMessageContaining("the key subject needs an event in the body (an io.backplane.core.Event, a Map or event JSON), not a java.lang.String");
        assertThatThrownBy(() -> template.sendBody("direct:debounce", 42))
                .rootCause().hasMessageContaining("dedupe:b: debounce holds events, but the body is not one");
    }

    @Test
    void aBadTickIntervalFailsAtStart() {
        dedupe.setTickInterval(0);
        Throwable t = startFailure("dedupe:a?window=1m");
        assertThat(t).hasMessageContaining("tickInterval of the dedupe component must be >= 1 ms, was 0");
    }
}
