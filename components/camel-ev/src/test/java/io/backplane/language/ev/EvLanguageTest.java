package io.backplane.language.ev;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The language itself: every operator, value rules, missing fields, type mismatches, bodies, headers. */
class EvLanguageTest {

    private static CamelContext context;
    private static final EvLanguage LANGUAGE = new EvLanguage();

    private static final Event EVENT = Event.builder("monitor/alertmanager/HighLoad/firing")
            .subject("web01")
            .source("/alertmanager")
            .data(Map.of(
                    "alert", Map.of("name", "alert-7", "severity", 3, "ratio", 0.75, "critical", true),
                    "load", 4.5,
                    "count", "12",
                    "version", "10.2",
                    "mount", "/var",
                    "tags", List.of("db", "prod", 5),
                    "labels", Map.of("team", "ops", "env", "prod"),
                    "empty", "",
                    "flag", "false"))
            .build();

    @BeforeAll
    static void start() {
        context = new DefaultCamelContext();
        context.start();
        LANGUAGE.setCamelContext(context);
    }

    @AfterAll
    static void stop() throws Exception {
        context.close();
    }

    private static Exchange exchange(Object body) {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setBody(body);
        e.getMessage().setHeader("CamelCloudEventType", "monitor/alertmanager/HighLoad/firing");
        e.getMessage().setHeader("attempt", 2);
        e.getMessage().setHeader("meta", Map.of("owner", "team-a"));
        return e;
    }

    private static boolean test(String condition) {
        return LANGUAGE.createPredicate(condition).matches(exchange(EVENT));
    }

    private static Object value(String expression) {
        return LANGUAGE.createExpression(expression).evaluate(exchange(EVENT), Object.class);
    }

    @Test
    void pathsReadAttributesDataAndHeaders() {
        assertThat(value("subject")).isEqualTo("web01");
        assertThat(value("type")).isEqualTo("monitor/alertmanager/HighLoad/firing");
        assertThat(value("source")).isEqualTo("/alertmanager");
        assertThat(value("data.alert.name")).isEqualTo("alert-7");
        assertThat(value("data.load")).isEqualTo(4.5);
        assertThat(value("data.labels")).isEqualTo(Map.of("team", "ops", "env", "prod"));
        assertThat(value("header.attempt")).isEqualTo(2);
        assertThat(value("headers.camelcloudeventtype")).isEqualTo("monitor/alertmanager/HighLoad/firing");
        assertThat(value("header.meta.owner")).isEqualTo("team-a");
        assertThat(value("ext.subject")).isEqualTo("web01");
    }

    @Test
    void missingFieldsAreNullAndNeverErrors() {
        assertThat(value("data.nope")).isNull();
        assertThat(value("data.alert.name.deeper")).isNull(); // a string has no fields
        assertThat(value("header.nope")).isNull();
        assertThat(value("header.attempt.deeper")).isNull();
        assertThat(test("data.nope == null")).isTrue();
        assertThat(test("data.nope == 'x'")).isFalse();
        assertThat(test("data.nope != 'x'")).isTrue();
        assertThat(test("data.nope > 2")).isFalse();
        assertThat(test("data.nope <= 2")).isFalse();
        assertThat(test("data.nope contains 'x'")).isFalse();
        assertThat(test("data.nope =~ '.*'")).isFalse();
        assertThat(test("data.nope in ['a']")).isFalse();
        assertThat(test("data.nope in [null]")).isTrue();
        assertThat(test("data.nope glob '**'")).isFalse();
        assertThat(test("data.nope")).isFalse();
    }

    @Test
    void literals() {
        assertThat(value("'single'")).isEqualTo("single");
        assertThat(value("\"double\"")).isEqualTo("double");
        assertThat(value("'it\\'s \\\"quoted\\\"\\n\\u0041'")).isEqualTo("it's \"quoted\"\nA");
        assertThat(value("42")).isEqualTo(42L);
        assertThat(value("-0.5")).isEqualTo(-0.5);
        assertThat(value("1e3")).isEqualTo(1000.0);
        assertThat(value("true")).isEqualTo(true);
        assertThat(value("false")).isEqualTo(false);
        assertThat(value("null")).isNull();
        assertThat(value("(data.load)")).isEqualTo(4.5);
    }

    @Test
    void equalityIsNumericForNumbersAndNumericStringsAndTextOtherwise() {
        assertThat(test("data.alert.name == 'alert-7'")).isTrue();
        assertThat(test("data.alert.name == \"alert-7\"")).isTrue();
        assertThat(test("'alert-7' == data.alert.name")).isTrue();
        assertThat(test("data.alert.name == 'alert-8'")).isFalse();
        assertThat(test("data.alert.name != 'alert-8'")).isTrue();
        assertThat(test("data.alert.severity == 3")).isTrue();
        assertThat(test("data.alert.severity == 3.0")).isTrue();
        assertThat(test("data.alert.severity == '3'")).isTrue();
        assertThat(test("data.count == 12")).isTrue();       // "12" in the event
        assertThat(test("data.count == '12.0'")).isTrue();
        assertThat(test("data.alert.critical == true")).isTrue();
        assertThat(test("data.alert.critical == 'true'")).isTrue();
        assertThat(test("data.flag == false")).isTrue();     // "false" in the event
        assertThat(test("data.labels == 'ops'")).isFalse(); // a map is not a scalar
        assertThat(test("data.alert.severity == data.alert.severity")).isTrue();
        assertThat(test("data.load == data.count")).isFalse();
        assertThat(test("0 == -0.0")).isTrue();
        assertThat(test("subject == header.nope")).isFalse();
    }

    @Test
    void orderingIsNumericWhenBothAreNumbersLexicographicForTwoStringsAndFalseOtherwise() {
        assertThat(test("data.alert.severity > 2")).isTrue();
        assertThat(test("data.alert.severity >= 3")).isTrue();
        assertThat(test("data.alert.severity < 3")).isFalse();
        assertThat(test("data.alert.severity <= 3")).isTrue();
        assertThat(test("2 < data.alert.severity")).isTrue();
        assertThat(test("4 <= data.alert.severity")).isFalse();
        assertThat(test("data.count > 9")).isTrue();          // numeric, not "12" < "9"
        assertThat(test("data.version > '9.1'")).isTrue();    // both numeric strings: 10.2 > 9.1
        assertThat(test("subject > 'web00'")).isTrue();       // two strings
        assertThat(test("subject < 'web00'")).isFalse();
        assertThat(test("data.alert.name > 2")).isFalse();    // text against a number: no order
        assertThat(test("data.alert.name < 2")).isFalse();
        assertThat(test("data.labels > 1")).isFalse();
        assertThat(test("data.alert.critical > 0")).isFalse();
        assertThat(test("data.load > data.alert.severity")).isTrue();
        assertThat(test("data.load < data.alert.severity")).isFalse();
        assertThat(test("data.alert.ratio >= 0.75 && data.alert.ratio < 1")).isTrue();
    }

    @Test
    void logic() {
        assertThat(test("data.alert.severity > 2 && subject == 'web01'")).isTrue();
        assertThat(test("data.alert.severity > 2 and subject == 'web02'")).isFalse();
        assertThat(test("data.alert.severity > 5 || subject == 'web01'")).isTrue();
        assertThat(test("data.alert.severity > 5 or subject == 'web02'")).isFalse();
        assertThat(test("!(data.alert.severity > 5)")).isTrue();
        assertThat(test("not data.alert.severity > 5")).isTrue();
        assertThat(test("! data.alert.severity == 3")).isFalse(); // not binds looser than a comparison
        assertThat(test("true || false && false")).isTrue();       // && binds tighter than ||
        assertThat(test("(true || false) && false")).isFalse();
        assertThat(test("not not true")).isTrue();
    }

    @Test
    void inListAndInValue() {
        assertThat(test("subject in ['web01', 'web02']")).isTrue();
        assertThat(test("subject in ['web02']")).isFalse();
        assertThat(test("data.alert.severity in [1, 2, 3]")).isTrue();
        assertThat(test("data.alert.severity in ['3']")).isTrue();
        assertThat(test("data.alert.severity in []")).isFalse();
        assertThat(test("'prod' in data.tags")).isTrue();
        assertThat(test("5 in data.tags")).isTrue();
        assertThat(test("'5.0' in data.tags")).isTrue();
        assertThat(test("'qa' in data.tags")).isFalse();
        assertThat(test("'team' in data.labels")).isTrue();  // a map: its keys
        assertThat(test("'ops' in data.labels")).isFalse();
        assertThat(test("'x' in data.alert.name")).isFalse(); // in a string: use contains
    }

    @Test
    void containsOnStringsListsAndMaps() {
        assertThat(test("data.alert.name contains 'ert-'")).isTrue();
        assertThat(test("data.alert.name contains 'xyz'")).isFalse();
        assertThat(test("data.tags contains 'db'")).isTrue();
        assertThat(test("data.tags contains 5")).isTrue();
        assertThat(test("data.tags contains 'qa'")).isFalse();
        assertThat(test("data.labels contains 'env'")).isTrue();
        assertThat(test("data.load contains '.5'")).isTrue();  // a number's text
        assertThat(test("data.alert.name contains data.mount")).isFalse();
        assertThat(test("data.alert.name contains null")).isFalse();
    }

    @Test
    void regexFindsAndIsCompiledOnce() {
        assertThat(test("data.alert.name =~ 'alert-[0-9]+'")).isTrue();
        assertThat(test("data.alert.name =~ '^alert-7$'")).isTrue();
        assertThat(test("data.alert.name =~ '^alert-8$'")).isFalse();
        assertThat(test("data.alert.name =~ 'ert'")).isTrue(); // find, not a whole match
        assertThat(test("data.alert.severity =~ '^[3-5]$'")).isTrue();
        assertThat(test("data.labels =~ '.*'")).isFalse();
        Node.Matches m = (Node.Matches) ((EvExpression) LANGUAGE.createPredicate("subject =~ 'web\\\\d+'")).root();
        assertThat(m.pattern.pattern()).isEqualTo("web\\d+");
        assertThat(test("subject =~ 'web\\\\d+'")).isTrue();
    }

    @Test
    void globMatchesTagsSegmentBySegment() {
        assertThat(test("type glob 'monitor/**/firing'")).isTrue();
        assertThat(test("type glob 'monitor/*/*/firing'")).isTrue();
        assertThat(test("type glob 'monitor/*/firing'")).isFalse();
        assertThat(test("header.CamelCloudEventType glob 'monitor/**'")).isTrue();
        assertThat(test("data.mount glob '**'")).isFalse(); // "/var" has an empty segment: not a tag
        assertThat(test("data.load glob '**'")).isFalse();  // not a string
    }

    @Test
    void exists() {
        assertThat(test("exists data.alert.name")).isTrue();
        assertThat(test("exists data.alert.nope")).isFalse();
        assertThat(test("exists header.attempt")).isTrue();
        assertThat(test("not exists data.nope && exists subject")).isTrue();
    }

    @Test
    void aValueUsedAsAConditionIsTruthy() {
        assertThat(test("data.alert.critical")).isTrue();
        assertThat(test("data.flag")).isFalse();   // "false"
        assertThat(test("data.empty")).isFalse();  // ""
        assertThat(test("data.load")).isTrue();
        assertThat(test("data.tags")).isTrue();
        assertThat(test("0")).isFalse();
        assertThat(test("null")).isFalse();
        assertThat(test("'text'")).isTrue();
    }

    @Test
    void expressionsReturnValuesAndConvertToTheRequestedType() {
        Exchange e = exchange(EVENT);
        assertThat(LANGUAGE.createExpression("data.alert.severity > 2").evaluate(e, Object.class)).isEqualTo(true);
        assertThat(LANGUAGE.createExpression("data.load").evaluate(e, String.class)).isEqualTo("4.5");
        assertThat(LANGUAGE.createExpression("data.count").evaluate(e, Integer.class)).isEqualTo(12);
        assertThat(LANGUAGE.createExpression("data.nope").evaluate(e, String.class)).isNull();
    }

    @Test
    void templatesRenderTextAndNameAMissingValue() {
        assertThat(value("disk ${data.mount} at ${data.load}% on ${subject}")).isEqualTo("disk /var at 4.5% on web01");
        assertThatThrownBy(() -> value("disk ${data.nope}"))
                .isInstanceOf(EvEvaluationException.class)
                .hasMessageContaining("${data.nope}");
    }

    @Test
    void anyMapBodyIsReadDirectly() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("load", 7);
        body.put("host", Map.of("name", "db1"));
        Exchange e = exchange(body);
        assertThat(LANGUAGE.createPredicate("load > 5 && host.name == 'db1'").matches(e)).isTrue();
    }

    @Test
    void jsonTextAndBytesAreParsedOncePerBody() {
        String json = new String(EVENT.toJson(), StandardCharsets.UTF_8);
        Exchange e = exchange(json);
        assertThat(LANGUAGE.createPredicate("data.alert.severity > 2").matches(e)).isTrue();
        Object parsed = e.getProperty(EventAccess.PROPERTY);
        assertThat(LANGUAGE.createPredicate("subject == 'web01'").matches(e)).isTrue();
        assertThat(e.getProperty(EventAccess.PROPERTY)).isSameAs(parsed);   // not parsed again
        assertThat(e.getMessage().getBody()).isSameAs(json);              // the body is left as it was
        e.getMessage().setBody(EVENT.toJson());
        assertThat(LANGUAGE.createPredicate("subject == 'web01'").matches(e)).isTrue();
        assertThat(e.getProperty(EventAccess.PROPERTY)).isNotSameAs(parsed); // a new body is parsed anew
    }

    @Test
    void aStreamBodyIsReplacedByTheEventReadFromIt() {
        Exchange e = exchange(new java.io.ByteArrayInputStream(EVENT.toJson()));
        assertThat(LANGUAGE.createPredicate("subject == 'web01'").matches(e)).isTrue();
        assertThat(e.getMessage().getBody()).isInstanceOf(Event.class);
    }

    @Test
    void aNullBodyHasNoFieldsButHeadersStillWork() {
        Exchange e = exchange(null);
        assertThat(LANGUAGE.createPredicate("exists subject").matches(e)).isFalse();
        assertThat(LANGUAGE.createPredicate("header.attempt == 2").matches(e)).isTrue();
    }

    @Test
    void aBodyThatIsNoEventIsAClearError() {
        assertThatThrownBy(() -> LANGUAGE.createPredicate("subject == 'x'").matches(exchange("{not json")))
                .isInstanceOf(EvEvaluationException.class)
                .hasMessageStartingWith("ev reads the event in the body, but the body is not a valid event: ")
                .hasMessageContaining("JSON");
        assertThatThrownBy(() -> LANGUAGE.createPredicate("subject == 'x'").matches(exchange(
                "{\"data\":{}}")))
                .isInstanceOf(EvEvaluationException.class)
                .hasMessageContaining("not a valid event");
        assertThatThrownBy(() -> LANGUAGE.createPredicate("subject == 'x'").matches(exchange(new Object())))
                .isInstanceOf(EvEvaluationException.class)
                .hasMessageContaining("the body is a java.lang.Object: not an event, a map or JSON");
        // a header-only condition does not need the body at all
        assertThat(LANGUAGE.createPredicate("header.attempt > 1").matches(exchange(new Object()))).isTrue();
    }

    @Test
    void compiledOnceIntoSpecialisedNodes() {
        Node eq = ((EvExpression) LANGUAGE.createPredicate("data.alert.name == 'alert-7'")).root();
        assertThat(eq).isInstanceOf(Node.EqualsLiteral.class);
        Node flipped = ((EvExpression) LANGUAGE.createPredicate("2 < data.alert.severity")).root();
        assertThat(flipped).isInstanceOf(Node.CompareNumber.class).hasToString("data.alert.severity > 2");
        Node in = ((EvExpression) LANGUAGE.createPredicate("subject in ['a', 'b']")).root();
        assertThat(in).isInstanceOf(Node.InList.class).hasToString("subject in ['a', 'b']");
        assertThat(LANGUAGE.createPredicate("header.x == 1")).isInstanceOf(EvExpression.class)
                .hasToString("header.x == 1");
    }

    @Test
    void expressionsAreThreadSafe() throws Exception {
        org.apache.camel.Predicate p = LANGUAGE.createPredicate(
                "data.alert.name =~ '^alert-[0-9]$' && data.alert.severity in [3, 4] && type glob 'monitor/**'");
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if (!p.matches(exchange(EVENT))) {
                        wrong.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong.get()).isZero();
    }
}
