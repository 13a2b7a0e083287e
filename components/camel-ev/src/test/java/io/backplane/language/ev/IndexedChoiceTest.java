package io.backplane.language.ev;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.ChoiceProcessor;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexed choice: chosen for YAML choices of ev equality whens, same branch as Camel's plain choice for every
 * event, and only the candidate whens evaluated.
 */
class IndexedChoiceTest {

    private final List<CamelContext> contexts = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (CamelContext c : contexts) {
            c.close();
        }
    }

    private CamelContext start(String yaml, boolean indexing, Map<String, Object> beans) throws Exception {
        CamelContext c = new DefaultCamelContext();
        contexts.add(c);
        if (!indexing) {
            c.getPropertiesComponent().addInitialProperty(IndexedChoiceFactory.ENABLED_PROPERTY, "false");
        }
        beans.forEach(c.getRegistry()::bind);
        PluginHelper.getRoutesLoader(c).loadRoutes(ResourceHelper.fromString("rules.yaml", yaml));
        c.start();
        return c;
    }

    /** A choice with the given when conditions (YAML expression entries), each setting header branch = its index. */
    private static String choice(List<String> whens, boolean otherwise) {
        StringBuilder y = new StringBuilder("""
                - route:
                    id: rules
                    from:
                      uri: direct:in
                      steps:
                        - choice:
                            id: the-choice
                            when:
                """);
        for (int i = 0; i < whens.size(); i++) {
            y.append("                  - ").append(whens.get(i)).append('\n')
             .append("                    steps:\n")
             .append("                      - setHeader:\n")
             .append("                          name: branch\n")
             .append("                          constant: \"").append(i).append("\"\n");
        }
        if (otherwise) {
            y.append("""
                                otherwise:
                                  steps:
                                    - setHeader:
                                        name: branch
                                        constant: otherwise
                    """);
        }
        return y.toString();
    }

    private static Object branch(CamelContext c, Object body, Object header) {
        Exchange out = c.createProducerTemplate().request("direct:in", e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader("team", header);
        });
        if (out.getException() != null) {
            return "error: " + out.getException().getClass().getSimpleName();
        }
        return out.getMessage().getHeader("branch");
    }

    @Test
    void sameBranchAsCamelsPlainChoiceForRandomEvents() throws Exception {
        List<String> whens = List.of(
                "ev: \"data.name == 'a' && data.severity > 2\"",
                "ev: \"data.name == 'b'\"",
                "ev: \"data.severity >= 4 || data.name == 'c'\"",          // not indexable (||)
                "ev: \"data.name == 'a'\"",                                // a's fallback, after the severe one
                "ev: \"data.name in ['d', 'e', 7] && exists data.extra\"",
                "simple: \"${header.team} == 'dba'\"",                     // another language: never ruled out
                "ev: \"data.name != 'f' && data.severity == 1\"",          // != is not indexable
                "ev: \"data.name == 7\"",                                  // numeric: matches 7, 7.0 and '7'
                "ev: \"data.name == 'b' && header.team == 'web'\"",       // shadowed by when 1
                "ev: \"data.name == null\"",                               // the missing name is a key too
                "ev: \"header.team == 'ops' && data.name == 'g'\"",
                "ev: \"data.name == true\"",
                "ev: \"data.name =~ '^h'\"");
        String yaml = choice(whens, true);
        CamelContext indexed = start(yaml, true, Map.of());
        CamelContext plain = start(yaml, false, Map.of());
        assertThat(indexed.getProcessor("the-choice")).isInstanceOf(IndexedChoiceProcessor.class);
        assertThat(plain.getProcessor("the-choice")).isExactlyInstanceOf(ChoiceProcessor.class);
        IndexedChoiceProcessor processor = (IndexedChoiceProcessor) indexed.getProcessor("the-choice");
        assertThat(processor.getIndexedField()).isEqualTo("data.name");
        assertThat(processor.getIndexedWhenCount()).isEqualTo(9);

        Object[] names = { "a", "b", "c", "d", "e", "f", "g", "h1", "zz", 7, 7.0, "7", "7.0", 8, true, "true", null,
                           "", List.of("a"), Map.of("n", 1) };
        Object[] severities = { 0, 1, 2, 3, 4, 5, "3", "x", null, 2.5 };
        Object[] teams = { null, "dba", "web", "ops", "x" };
        Random random = new Random(42);
        Map<Object, Integer> branches = new HashMap<>();
        for (int n = 0; n < 3000; n++) {
            Map<String, Object> data = new HashMap<>();
            Object name = names[random.nextInt(names.length)];
            if (name != null || random.nextBoolean()) {
                data.put("name", name);
            }
            Object severity = severities[random.nextInt(severities.length)];
            if (severity != null) {
                data.put("severity", severity);
            }
            if (random.nextInt(3) == 0) {
                data.put("extra", "yes");
            }
            Object body = random.nextInt(10) == 0 ? new HashMap<>(Map.of("data", data))  // any map, not an Event
                          : Event.builder("t/x").data(data).build();
            Object team = teams[random.nextInt(teams.length)];
            Object expected = branch(plain, body, team);
            assertThat(branch(indexed, body, team)).as("event %s, team %s", body, team).isEqualTo(expected);
            branches.merge(expected, 1, Integer::sum);
        }
        // the random events reached every branch, otherwise included
        assertThat(branches.keySet()).containsAll(List.of("0", "1", "2", "3", "4", "5", "6", "7", "9", "10", "11",
                "12", "otherwise"));
    }

    @Test
    void sameBranchAsPlainChoiceWithoutOtherwiseAndWithErrors() throws Exception {
        List<String> whens = List.of(
                "simple: \"${header.team} == 'dba'\"",
                "ev: \"data.name == 'a'\"",
                "ev: \"data.name == 'b'\"");
        String yaml = choice(whens, false);
        CamelContext indexed = start(yaml, true, Map.of());
        CamelContext plain = start(yaml, false, Map.of());
        assertThat(indexed.getProcessor("the-choice")).isInstanceOf(IndexedChoiceProcessor.class);
        for (Object body : new Object[] { Event.builder("t/x").data(Map.of("name", "a")).build(),
                                          Event.builder("t/x").data(Map.of("name", "zz")).build(),
                                          "{\"not\": \"an event\"}", "not json at all" }) {
            for (Object team : new Object[] { "dba", "web" }) {
                assertThat(branch(indexed, body, team)).as("%s %s", body, team).isEqualTo(branch(plain, body, team));
            }
        }
        // a body that is not an event: the simple when before the ev ones still decides, as in Camel
        assertThat(branch(indexed, "not json at all", "dba")).isEqualTo("0");
        assertThat(branch(indexed, "not json at all", "web")).isEqualTo("error: EvEvaluationException");
        assertThat(branch(indexed, Event.builder("t/x").data(Map.of("name", "zz")).build(), "web")).isNull();
    }

    @Test
    void aThousandWhensEvaluateOnlyTheCandidates() throws Exception {
        AtomicInteger unindexedCalls = new AtomicInteger();
        List<String> whens = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            whens.add(i == 500 ? "method: \"counter\""  // another language: evaluated for every event
                               : "ev: \"data.alert.name == 'alert-" + i + "' && data.alert.severity > 2\"");
        }
        CamelContext c = start(choice(whens, true), true,
                Map.of("counter", (org.apache.camel.Predicate) e -> {
                    unindexedCalls.incrementAndGet();
                    return false;
                }));
        IndexedChoiceProcessor processor = (IndexedChoiceProcessor) c.getProcessor("the-choice");
        assertThat(processor.getIndexedWhenCount()).isEqualTo(999);

        assertThat(branch(c, alertEvent("alert-7", 3), null)).isEqualTo("7");
        assertThat(processor.getEvaluationCount()).isEqualTo(1); // alert-7's when matched first: nothing else
        assertThat(unindexedCalls.get()).isZero();

        assertThat(branch(c, alertEvent("alert-900", 3), null)).isEqualTo("900");
        assertThat(processor.getEvaluationCount()).isEqualTo(3); // when 500 (before 900) and when 900
        assertThat(unindexedCalls.get()).isEqualTo(1);

        assertThat(branch(c, alertEvent("alert-900", 1), null)).isEqualTo("otherwise");
        assertThat(processor.getEvaluationCount()).isEqualTo(5);

        assertThat(branch(c, alertEvent("unknown", 5), null)).isEqualTo("otherwise");
        assertThat(processor.getEvaluationCount()).isEqualTo(6); // only the unindexed when
        assertThat(unindexedCalls.get()).isEqualTo(3);
        assertThat(processor.getNotFilteredCount()).isEqualTo(2);
    }

    private static Event alertEvent(String name, int severity) {
        return Event.builder("monitor/alert/" + name + "/firing")
                .data(Map.of("alert", Map.of("name", name, "severity", severity))).build();
    }

    @Test
    void theBenchmarkRulesChooseTheSameBranchInEvSimpleAndJsonpath() throws Exception {
        List<String> ev = new ArrayList<>();
        List<String> simple = new ArrayList<>();
        List<String> jsonpath = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ev.add("ev: \"data.alert.name == 'alert-" + i + "' && data.alert.severity > 2\"");
            simple.add("simple: \"${body[data][alert][name]} == 'alert-" + i
                       + "' && ${body[data][alert][severity]} > 2\"");
            jsonpath.add("jsonpath: \"$.data.alert[?(@.name == 'alert-" + i + "' && @.severity > 2)]\"");
        }
        CamelContext evContext = start(choice(ev, true), true, Map.of());
        CamelContext simpleContext = start(choice(simple, true), true, Map.of());
        CamelContext jsonpathContext = start(choice(jsonpath, true), true, Map.of());
        assertThat(simpleContext.getProcessor("the-choice")).isExactlyInstanceOf(ChoiceProcessor.class);
        Random random = new Random(7);
        int fired = 0;
        for (int n = 0; n < 400; n++) {
            Event e = alertEvent("alert-" + random.nextInt(40), 1 + random.nextInt(5));
            Object expected = branch(simpleContext, e, null);
            assertThat(branch(evContext, e, null)).as("%s", e).isEqualTo(expected);
            assertThat(branch(jsonpathContext, e, null)).as("%s", e).isEqualTo(expected);
            fired += "otherwise".equals(expected) ? 0 : 1;
        }
        assertThat(fired).isBetween(100, 300);
    }

    @Test
    void choicesThatCannotBeIndexedStayCamels() throws Exception {
        CamelContext c = start(choice(List.of("ev: \"data.name == 'a'\"", "ev: \"data.other == 'b'\"",
                "ev: \"data.name != 'c'\""), true), true, Map.of());
        assertThat(c.getProcessor("the-choice")).isExactlyInstanceOf(ChoiceProcessor.class);
        assertThat(branch(c, Event.builder("t/x").data(Map.of("other", "b")).build(), null)).isEqualTo("1");
    }

    @Test
    void nestedAndDisabledWhensAndPreconditions() throws Exception {
        String yaml = """
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - choice:
                            id: outer
                            when:
                              - ev: "data.kind == 'disk'"
                                steps:
                                  - choice:
                                      id: inner
                                      when:
                                        - ev: "data.mount == '/'"
                                          steps:
                                            - setHeader: {name: branch, constant: root}
                                        - ev: "data.mount == '/var'"
                                          disabled: true
                                          steps:
                                            - setHeader: {name: branch, constant: var-disabled}
                                        - ev: "data.mount in ['/var', '/tmp']"
                                          steps:
                                            - setHeader: {name: branch, constant: var-or-tmp}
                              - ev: "data.kind == 'cpu'"
                                steps:
                                  - setHeader: {name: branch, constant: cpu}
                        - choice:
                            id: switch
                            precondition: true
                            when:
                              - ev: "'{{mode}}' == 'strict'"
                                steps:
                                  - setHeader: {name: mode, constant: strict}
                              - ev: "'{{mode}}' == 'lax'"
                                steps:
                                  - setHeader: {name: mode, constant: lax}
                """;
        CamelContext c = new DefaultCamelContext();
        contexts.add(c);
        c.getPropertiesComponent().addInitialProperty("mode", "lax");
        PluginHelper.getRoutesLoader(c).loadRoutes(ResourceHelper.fromString("rules.yaml", yaml));
        c.start();
        assertThat(c.getProcessor("outer")).isInstanceOf(IndexedChoiceProcessor.class);
        assertThat(c.getProcessor("inner")).isInstanceOf(IndexedChoiceProcessor.class);
        ProducerTemplate t = c.createProducerTemplate();
        Exchange out = t.request("direct:in", e -> e.getMessage().setBody(
                Event.builder("t/x").data(Map.of("kind", "disk", "mount", "/var")).build()));
        assertThat(out.getMessage().getHeader("branch")).isEqualTo("var-or-tmp");
        assertThat(out.getMessage().getHeader("mode")).isEqualTo("lax");
        out = t.request("direct:in", e -> e.getMessage().setBody(
                Event.builder("t/x").data(Map.of("kind", "disk", "mount", "/")).build()));
        assertThat(out.getMessage().getHeader("branch")).isEqualTo("root");
        out = t.request("direct:in", e -> e.getMessage().setBody(
                Event.builder("t/x").data(Map.of("kind", "cpu")).build()));
        assertThat(out.getMessage().getHeader("branch")).isEqualTo("cpu");
    }

    @Test
    void headerFieldsCanBeIndexedToo() throws Exception {
        CamelContext c = start(choice(List.of("ev: \"header.team == 'dba'\"", "ev: \"headers.TEAM == 'web'\""),
                true), true, Map.of());
        IndexedChoiceProcessor p = (IndexedChoiceProcessor) c.getProcessor("the-choice");
        assertThat(p.getIndexedField()).isEqualTo("header.team");
        assertThat(branch(c, "any body: headers only", "web")).isEqualTo("1");
        assertThat(branch(c, "any body: headers only", "x")).isEqualTo("otherwise");
    }

    @Test
    void javaDslChoicesAreIndexedToo() throws Exception {
        CamelContext c = new DefaultCamelContext();
        contexts.add(c);
        c.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").choice().id("java-choice")
                        .when().language("ev", "data.name == 'a'").setHeader("branch", constant("a"))
                        .when().language("ev", "data.name == 'b'").setHeader("branch", constant("b"))
                        .end();
            }
        });
        c.start();
        Processor p = c.getProcessor("java-choice");
        assertThat(p).isInstanceOf(IndexedChoiceProcessor.class);
        assertThat(branch(c, Event.builder("t/x").data(Map.of("name", "b")).build(), null)).isEqualTo("b");
    }
}
