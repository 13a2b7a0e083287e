package io.backplane.component.watchdog;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bad setting is refused at start with a message that says what to fix. */
class WatchdogValidationTest extends WatchdogTestSupport {

    private Throwable startFailure(RouteBuilder routes) {
        try {
            start(routes);
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException || t instanceof IllegalStateException
                    || t instanceof UnsupportedOperationException) {
                    return t;
                }
            }
            throw new AssertionError("unexpected failure", e);
        }
        throw new AssertionError("the routes started");
    }

    private Throwable startFailure(String uri) {
        return startFailure(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:out");
            }
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "watchdog:w?timeout=30s                     | watchdog:w: glob is required",
            "watchdog:w?glob=app/x*&timeout=30s         | watchdog:w: tag glob 'app/x*': segment 'x*' mixes '*' with text",
            "watchdog:w?glob=app//x&timeout=30s         | watchdog:w: tag glob 'app//x' has an empty segment",
            "watchdog:w?glob=app/*                      | watchdog:w: timeout is required and must be > 0",
            "watchdog:w?glob=app/*&timeout=0            | watchdog:w: timeout is required and must be > 0",
            "watchdog:w?glob=app/*&timeout=later        | watchdog:w: timeout 'later' is not a duration",
            "watchdog:w?glob=app/*&timeout=1s&maxKeys=0 | watchdog:w: maxKeys must be >= 1, was 0",
            "watchdog:w?glob=app/*&timeout=1s&keys=a,b  | watchdog:w: keys needs tag (the tag of the events of a key never seen",
            "watchdog:w?glob=app/*&timeout=1s&keys=a&tag=app/* | watchdog:w: tag: tag 'app/*' contains '*'",
            "watchdog:w?glob=app/*&timeout=1s&keys=a,b,c&maxKeys=2 | watchdog:w: keys lists 3 keys, more than maxKeys=2",
            "watchdog:w?glob=app/*&timeout=1s&key=data.        | watchdog:w: key 'data.' is not an event path",
    })
    void badSettingsFailAtStart(String uri, String message) {
        assertThat(startFailure(uri)).hasMessageContaining(message);
    }

    @Test
    void oneRoutePerName() {
        assertThat(startFailure(new RouteBuilder() {
            @Override
            public void configure() {
                from("watchdog:w?glob=a/*&timeout=1s").to("mock:a");
                from("watchdog:w?glob=b/*&timeout=1s").to("mock:b");
            }
        })).hasMessageContaining("watchdog:w is already running in another route: give each watchdog its own name");
    }

    @Test
    void itIsAConsumerOnly() {
        assertThat(startFailure(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:x").to("watchdog:w?glob=a/*&timeout=1s");
            }
        })).hasMessageContaining("watchdog:w is a consumer only");
    }

    @Test
    void aBadTickIntervalFailsAtStart() {
        watchdog.setTickInterval(0);
        assertThat(startFailure("watchdog:w?glob=a/*&timeout=1s"))
                .hasMessageContaining("tickInterval of the watchdog component must be >= 1 ms, was 0");
    }
}
