package io.backplane.language.ev;

import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ev:} in YAML routes as users write them: filter, choice, setHeader, setBody, the expression form. */
class EvYamlRouteTest {

    private CamelContext context;

    @AfterEach
    void close() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    private ProducerTemplate load(String yaml) throws Exception {
        context = new DefaultCamelContext();
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("rules.yaml", yaml));
        context.start();
        return context.createProducerTemplate();
    }

    private static Event alert(String name, Object severity) {
        return Event.builder("monitor/alert/" + name + "/firing").subject("web01")
                .data(Map.of("alert", Map.of("name", name, "severity", severity), "load", 0.93, "mount", "/var"))
                .build();
    }

    @Test
    void filter() throws Exception {
        ProducerTemplate template = load("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - filter:
                            ev: "data.alert.severity > 2 && subject == 'web01'"
                            steps:
                              - to: mock:severe
                """);
        MockEndpoint severe = context.getEndpoint("mock:severe", MockEndpoint.class);
        Event severeOne = alert("a", 3);
        severe.expectedBodiesReceived(severeOne);
        template.sendBody("direct:in", severeOne);
        template.sendBody("direct:in", alert("b", 1));
        template.sendBody("direct:in", alert("c", "high"));
        severe.assertIsSatisfied();
    }

    @Test
    void choiceWithOtherwise() throws Exception {
        ProducerTemplate template = load("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - choice:
                            when:
                              - ev: "data.alert.name == 'disk' && data.alert.severity >= 3"
                                steps:
                                  - setHeader:
                                      name: branch
                                      constant: disk
                              - ev: "data.alert.name in ['cpu', 'load']"
                                steps:
                                  - setHeader:
                                      name: branch
                                      constant: cpu
                            otherwise:
                              steps:
                                - setHeader:
                                    name: branch
                                    constant: other
                """);
        assertThat(branch(template, alert("disk", 3))).isEqualTo("disk");
        assertThat(branch(template, alert("disk", 2))).isEqualTo("other");
        assertThat(branch(template, alert("load", 1))).isEqualTo("cpu");
        assertThat(branch(template, alert("mem", 5))).isEqualTo("other");
    }

    private static Object branch(ProducerTemplate template, Event event) {
        return template.request("direct:in", e -> e.getMessage().setBody(event)).getMessage().getHeader("branch");
    }

    @Test
    void setHeaderAndSetBodyTakeValuesAndTemplates() throws Exception {
        ProducerTemplate template = load("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - setHeader:
                            name: load
                            ev: data.load
                        - setHeader:
                            name: severe
                            ev: "data.alert.severity > 2"
                        - setBody:
                            ev: "${data.alert.name} on ${subject}: load ${data.load}, disk ${data.mount}"
                """);
        Exchange out = template.request("direct:in", e -> e.getMessage().setBody(alert("disk", 4)));
        assertThat(out.getMessage().getHeader("load")).isEqualTo(0.93);
        assertThat(out.getMessage().getHeader("severe")).isEqualTo(true);
        assertThat(out.getMessage().getBody()).isEqualTo("disk on web01: load 0.93, disk /var");
    }

    @Test
    void theExpressionAndMappingFormsWorkToo() throws Exception {
        ProducerTemplate template = load("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - filter:
                            expression:
                              ev: "data.alert.severity > 2"
                            steps:
                              - setHeader:
                                  name: name
                                  ev:
                                    expression: data.alert.name
                              - to: mock:out
                """);
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        out.expectedHeaderReceived("name", "disk");
        out.expectedMessageCount(1);
        template.sendBody("direct:in", alert("disk", 5));
        template.sendBody("direct:in", alert("disk", 1));
        out.assertIsSatisfied();
    }

    @Test
    void setPropertyAndSplitTakeEvToo() throws Exception {
        ProducerTemplate template = load("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - setProperty:
                            name: host
                            ev: subject
                        - split:
                            ev: data.tags
                            steps:
                              - setHeader:
                                  name: host
                                  simple: "${exchangeProperty.host}"
                              - to: mock:tag
                """);
        MockEndpoint tags = context.getEndpoint("mock:tag", MockEndpoint.class);
        tags.expectedBodiesReceived("db", "prod");
        tags.expectedHeaderReceived("host", "web01");
        template.sendBody("direct:in", Event.builder("t/x").subject("web01")
                .data(Map.of("tags", List.of("db", "prod"))).build());
        tags.assertIsSatisfied();
    }

    @Test
    void theLanguageFormAndJsonTextBodies() throws Exception {
        ProducerTemplate template = load("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - filter:
                            language:
                              language: ev
                              expression: "type glob 'monitor/**/firing' && data.alert.severity > 2"
                            steps:
                              - to: mock:out
                """);
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        out.expectedMessageCount(1);
        template.sendBody("direct:in", new String(alert("disk", 5).toJson(), java.nio.charset.StandardCharsets.UTF_8));
        template.sendBody("direct:in", alert("disk", 1).toJson());
        out.assertIsSatisfied();
        assertThat(out.getExchanges().get(0).getMessage().getBody()).isInstanceOf(String.class); // left as it was
    }

    @Test
    void propertyPlaceholdersAreResolvedBeforeCompiling() throws Exception {
        context = new DefaultCamelContext();
        context.getPropertiesComponent().addInitialProperty("rules.min-severity", "3");
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("rules.yaml", """
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - filter:
                            ev: "data.alert.severity >= {{rules.min-severity}}"
                            steps:
                              - to: mock:out
                """));
        context.start();
        MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
        out.expectedMessageCount(1);
        context.createProducerTemplate().sendBody("direct:in", alert("disk", 3));
        context.createProducerTemplate().sendBody("direct:in", alert("disk", 2));
        out.assertIsSatisfied();
    }

    @Test
    void aSyntaxErrorFailsTheRouteWithItsPosition() {
        assertThatThrownBy(() -> load("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - filter:
                            ev: "data.alert.severity >> 2"
                            steps:
                              - to: mock:out
                """))
                .hasStackTraceContaining("ev: expected a value (a path, 'string', number, true, false, null or '(') "
                                         + "but found '>' at position 22 in: data.alert.severity >> 2");
    }

    @Test
    void aBodyThatIsNoEventFailsTheExchangeClearly() throws Exception {
        ProducerTemplate template = load("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - filter:
                            ev: "data.alert.severity > 2"
                            steps:
                              - to: mock:out
                """);
        assertThatThrownBy(() -> template.sendBody("direct:in", "not json"))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(EvEvaluationException.class)
                .hasMessageContaining("not a valid event");
    }

    @Test
    void otherYamlKeepsWorking() throws Exception {
        // the loader is Camel's with one resolver more: simple, beans and route configuration are untouched
        ProducerTemplate template = load("""
                - beans:
                    - name: names
                      type: java.util.ArrayList
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - choice:
                            when:
                              - simple: "${body[data][alert][severity]} > 2"
                                steps:
                                  - setHeader:
                                      name: branch
                                      constant: simple
                            otherwise:
                              steps:
                                - setHeader:
                                    name: branch
                                    constant: other
                """);
        assertThat(branch(template, alert("x", 3))).isEqualTo("simple");
        assertThat(branch(template, alert("x", 1))).isEqualTo("other");
        assertThat(context.getRegistry().lookupByName("names")).isInstanceOf(List.class);
    }
}
