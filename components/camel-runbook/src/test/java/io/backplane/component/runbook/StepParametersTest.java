package io.backplane.component.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.junit.jupiter.api.Test;

/** A step's parameters: map, values arrive at the endpoint exactly as written, property placeholders resolved. */
class StepParametersTest extends RunbookTestSupport {

    /** A component that keeps the options it was given, as the endpoint sees them after Camel's URI handling. */
    static final class Capture extends DefaultComponent {
        final Map<String, Map<String, Object>> options = new LinkedHashMap<>();

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            options.put(remaining, new LinkedHashMap<>(parameters));
            parameters.clear();
            return new DefaultEndpoint(uri, this) {
                @Override
                public Producer createProducer() {
                    return new DefaultProducer(this) {
                        @Override
                        public void process(org.apache.camel.Exchange exchange) {
                            // no result event: an ok step
                        }
                    };
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    @Test
    void parameterValuesArriveExactlyAsWritten() throws Exception {
        Capture capture = new Capture();
        context.addComponent("capture", capture);
        context.getPropertiesComponent().addInitialProperty("ops.token", "t0ken&x=1+2");
        String command = "printf '%s+%s\\n' a b && echo ' 100% done' | tr a-z A-Z ) & ${data.service} #x";
        Event summary;
        start(runbookRoute("""
                steps:
                  - id: a
                    uri: capture:a?fixed=yes
                    parameters:
                      command: "%s"
                      token: "{{ops.token}}"
                      timeout: 5000
                      spaces: "  two  spaces  "
                """.formatted(command.replace("\\", "\\\\"))));
        summary = run(trigger());
        assertThat(summary.type()).isEqualTo("action/runbook/check/ok");
        assertThat(capture.options.get("a")).containsEntry("fixed", "yes").containsEntry("command", command)
                .containsEntry("token", "t0ken&x=1+2").containsEntry("timeout", "5000")
                .containsEntry("spaces", "  two  spaces  ");
    }
}
