package io.backplane.component.register;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.backplane.core.Event;
import io.backplane.core.InvalidEventException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The producer in Camel routes: headers, shared registers, languages, bad input and option errors. */
class RegisterRouteTest {

    private final TestClock clock = new TestClock();
    private DefaultCamelContext context;
    private ProducerTemplate template;
    private RegisterComponent component;

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
        component = new RegisterComponent();
        component.setClock(clock);
        context.addComponent("register", component);
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    private void start(String... fromDirectToRegister) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < fromDirectToRegister.length; i++) {
                    from("direct:in" + i).to(fromDirectToRegister[i]).to("mock:out" + i);
                }
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    private static Event event(String subject, Map<String, ?> data) {
        return Event.builder("host/" + (subject == null ? "none" : subject) + "/disk").subject(subject).data(data)
                .build();
    }

    private Message send(int route, Object body) {
        Exchange done = template.send("direct:in" + route, e -> e.getMessage().setBody(body));
        if (done.getException() != null) {
            throw new CamelExecutionException("failed", done, done.getException());
        }
        return done.getMessage();
    }

    private MockEndpoint mock(int route) {
        return context.getEndpoint("mock:out" + route, MockEndpoint.class);
    }

    @Test
    void everyOpIsSetAsAHeader() throws Exception {
        start("register:disk?value=data.used_pct&size=10&alpha=0.5&threshold=100"
              + "&ops=count,sum,mean,min,max,p50,p95,p99,rate,eventRate,ewma,slope,predict");
        Message m = null;
        for (double v : new double[] { 60, 62, 64, 66 }) {
            m = send(0, event("web01", Map.of("used_pct", v)));
            clock.advanceSeconds(10);
        }
        assertThat(m.getHeader(RegisterConstants.NAME)).isEqualTo("disk");
        assertThat(m.getHeader(RegisterConstants.KEY)).isEqualTo("web01");
        assertThat(m.getHeader(RegisterConstants.VALUE)).isEqualTo(66.0);
        assertThat(m.getHeader(RegisterConstants.COUNT)).isEqualTo(4);
        assertThat(m.getHeader(RegisterConstants.SUM, Double.class)).isEqualTo(252);
        assertThat(m.getHeader(RegisterConstants.MEAN, Double.class)).isEqualTo(63);
        assertThat(m.getHeader(RegisterConstants.MIN, Double.class)).isEqualTo(60);
        assertThat(m.getHeader(RegisterConstants.MAX, Double.class)).isEqualTo(66);
        assertThat(m.getHeader(RegisterConstants.P50, Double.class)).isEqualTo(63);
        // position 0.95 * 3 = 2.85: 64 + 0.85 * 2
        assertThat(m.getHeader(RegisterConstants.P95, Double.class)).isCloseTo(65.7, within(1e-9));
        assertThat(m.getHeader(RegisterConstants.P99, Double.class)).isCloseTo(65.94, within(1e-9));
        // +6 over 30 s
        assertThat(m.getHeader(RegisterConstants.RATE, Double.class)).isCloseTo(0.2, within(1e-12));
        assertThat(m.getHeader(RegisterConstants.EVENT_RATE, Double.class)).isCloseTo(0.1, within(1e-12));
        // 60 -> 61 -> 62.5 -> 64.25
        assertThat(m.getHeader(RegisterConstants.EWMA, Double.class)).isEqualTo(64.25);
        assertThat(m.getHeader(RegisterConstants.SLOPE, Double.class)).isCloseTo(0.2, within(1e-9));
        // 34 to go at 0.2 per second
        assertThat(m.getHeader(RegisterConstants.SECONDS_TO_THRESHOLD, Double.class)).isCloseTo(170, within(1e-6));
        assertThat(m.getHeader(RegisterConstants.SKIPPED)).isNull();
        assertThat(m.getBody()).as("the event goes on unchanged").isInstanceOf(Event.class);
    }

    @Test
    void onlyTheOpsAskedForAreSetAndAbsentResultsAreRemoved() throws Exception {
        start("register:cpu?value=data.load&window=5m&ops=mean,slope");
        Message m = send(0, event("web01", Map.of("load", 2)));
        assertThat(m.getHeader(RegisterConstants.MEAN, Double.class)).isEqualTo(2);
        assertThat(m.getHeaders()).doesNotContainKeys(RegisterConstants.COUNT, RegisterConstants.P95,
                RegisterConstants.SLOPE, RegisterConstants.STATS);
        // a stale header from an earlier step is not left behind when the result does not exist
        Exchange done = template.send("direct:in0", e -> {
            e.getMessage().setBody(event("web02", Map.of("load", 1)));
            e.getMessage().setHeader(RegisterConstants.SLOPE, 99.0);
        });
        assertThat(done.getMessage().getHeaders()).doesNotContainKey(RegisterConstants.SLOPE);
    }

    @Test
    void anEventWithoutTheValueStopsTheExchangeAndIsCountedAndLoggedOncePerN() throws Exception {
        start("register:disk?value=data.used_pct&size=10&warnEvery=3");
        try (LogCapture log = new LogCapture(RegisterProducer.class)) {
            for (int i = 0; i < 7; i++) {
                Message m = send(0, event("web01", Map.of("other", 1)));
                assertThat(m.getHeader(RegisterConstants.SKIPPED)).isEqualTo("missing");
            }
            mock(0).expectedMessageCount(0);
            mock(0).assertIsSatisfied();
            Register r = component.getRegister("disk");
            assertThat(r.stats().missingValues()).isEqualTo(7);
            assertThat(r.stats().updates()).isZero();
            // the 1st, the 3rd and the 6th
            assertThat(log.messages()).hasSize(3);
            assertThat(log.messages().get(0)).contains("register:disk", "has no value at data.used_pct",
                    "the rule is not evaluated", "1 such events so far");
            assertThat(log.messages().get(2)).contains("6 such events so far");
        }
    }

    @Test
    void onMissingContinueLetsTheExchangeGoOnWithoutResults() throws Exception {
        start("register:disk?value=data.used_pct&size=10&ops=count,mean&onMissing=continue");
        send(0, event("web01", Map.of("used_pct", 10)));
        Exchange done = template.send("direct:in0", e -> {
            e.getMessage().setBody(event("web01", Map.of()));
            e.getMessage().setHeader(RegisterConstants.MEAN, 1.0); // stale, must go
        });
        assertThat(done.getMessage().getHeader(RegisterConstants.SKIPPED)).isEqualTo("missing");
        assertThat(done.getMessage().getHeaders()).doesNotContainKeys(RegisterConstants.MEAN, RegisterConstants.COUNT,
                RegisterConstants.VALUE);
        assertThat(mock(0).getReceivedCounter()).isEqualTo(2);
        // the next good event clears the skip marker
        Message m = send(0, event("web01", Map.of("used_pct", 20)));
        assertThat(m.getHeader(RegisterConstants.SKIPPED)).isNull();
        assertThat(m.getHeader(RegisterConstants.MEAN, Double.class)).isEqualTo(15);
    }

    @Test
    void nonNumericValuesAreSkippedAndCountedButNumericStringsAreRead() throws Exception {
        start("register:disk?value=data.v&size=10&ops=count,mean");
        List<Object> bad = List.of("full", true, "NaN", "Infinity", "1e999", "0x10", "12abc", "", Map.of("a", 1),
                List.of(1, 2));
        for (Object v : bad) {
            Message m = send(0, event("web01", Map.of("v", v)));
            assertThat(m.getHeader(RegisterConstants.SKIPPED)).as(String.valueOf(v)).isEqualTo("nonNumeric");
        }
        assertThat(component.getRegister("disk").stats().nonNumericValues()).isEqualTo(bad.size());
        mock(0).expectedMessageCount(2);
        send(0, event("web01", Map.of("v", " 42.5 ")));
        Message m = send(0, event("web01", Map.of("v", "-2.5e1")));
        mock(0).assertIsSatisfied();
        assertThat(m.getHeader(RegisterConstants.COUNT)).isEqualTo(2);
        assertThat(m.getHeader(RegisterConstants.MEAN, Double.class)).isEqualTo(8.75);
    }

    @Test
    void eventsWithoutAKeyOrWithAnOverlongKeyAreSkipped() throws Exception {
        start("register:disk?value=data.v&size=10&maxKeyLength=10");
        assertThat(send(0, event(null, Map.of("v", 1))).getHeader(RegisterConstants.SKIPPED)).isEqualTo("missingKey");
        assertThat(send(0, event("a-very-long-host-name", Map.of("v", 1))).getHeader(RegisterConstants.SKIPPED))
                .isEqualTo("missingKey");
        assertThat(component.getRegister("disk").stats().missingKeys()).isEqualTo(2);
        assertThat(component.getRegister("disk").keyCount()).isZero();
        assertThat(mock(0).getReceivedCounter()).isZero();
    }

    @Test
    void aBodyThatIsNotAnEventFailsClearlyAndEventJsonIsConverted() throws Exception {
        start("register:disk?value=data.v&size=10&ops=count");
        assertThatThrownBy(() -> send(0, 42)).isInstanceOf(CamelExecutionException.class).cause()
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("register:disk needs an event in the body")
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> send(0, null)).cause().hasMessageContaining("an empty body");
        String json = new String(event("web01", Map.of("v", 3)).toJson(), java.nio.charset.StandardCharsets.UTF_8);
        Message m = send(0, json);
        assertThat(m.getHeader(RegisterConstants.COUNT)).isEqualTo(1);
        assertThat(m.getBody()).isInstanceOf(Event.class);
    }

    @Test
    void valuesAndKeysInCamelLanguages() throws Exception {
        start("register:a?valueLanguage=jsonpath&value=$.data.disk.used&size=10&ops=mean",
              "register:b?valueLanguage=simple&value=${body[data][disk][used]}&keyLanguage=simple"
              + "&key=${header.CamelCloudEventSubject}-x&size=10&ops=mean",
              "register:c?keyLanguage=constant&key=all&value=data.disk.used&size=10&ops=count");
        Event e1 = event("web01", Map.of("disk", Map.of("used", 10)));
        Event e2 = event("web02", Map.of("disk", Map.of("used", 30)));
        for (int route = 0; route < 3; route++) {
            send(route, e1);
        }
        assertThat(send(0, e2).getHeader(RegisterConstants.MEAN, Double.class)).isEqualTo(30);
        // the CloudEvents headers are set by bus consumers; here by hand
        Exchange b = template.send("direct:in1", ex -> {
            ex.getMessage().setBody(e1);
            ex.getMessage().setHeader("CamelCloudEventSubject", "web01");
        });
        assertThat(b.getMessage().getHeader(RegisterConstants.KEY)).isEqualTo("web01-x");
        assertThat(send(2, e2).getHeader(RegisterConstants.COUNT)).as("one key for all").isEqualTo(2);
        // jsonpath without the path: a missing value, not a failure
        Message m = send(0, event("web01", Map.of("net", 1)));
        assertThat(m.getHeader(RegisterConstants.SKIPPED)).isEqualTo("missing");
        assertThat(component.getRegister("a").stats().missingValues()).isEqualTo(1);
    }

    @Test
    void aKeyExpressionThatFailsOnAnEventIsAMissingKey() throws Exception {
        start("register:k?keyLanguage=jsonpath&key=$.data.host&value=data.v&size=10&ops=count");
        assertThat(send(0, event("web01", Map.of("host", "h1", "v", 1))).getHeader(RegisterConstants.KEY))
                .isEqualTo("h1");
        assertThat(send(0, event("web01", Map.of("v", 1))).getHeader(RegisterConstants.SKIPPED))
                .isEqualTo("missingKey");
        assertThat(component.getRegister("k").stats().missingKeys()).isEqualTo(1);
        assertThat(mock(0).getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void severalKeyPathsMakeOneKeyPerCombination() throws Exception {
        start("register:disk?key=subject,data.mount&value=data.used_pct&size=10&ops=count,mean");
        send(0, event("web01", Map.of("mount", "/", "used_pct", 10)));
        send(0, event("web01", Map.of("mount", "/var", "used_pct", 90)));
        Message m = send(0, event("web01", Map.of("mount", "/", "used_pct", 20)));
        assertThat(m.getHeader(RegisterConstants.KEY)).isEqualTo("web01//");
        assertThat(m.getHeader(RegisterConstants.MEAN, Double.class)).isEqualTo(15);
        assertThat(component.getRegister("disk").contains("web01//var")).isTrue();
        // one of the paths missing: no key
        assertThat(send(0, event("web01", Map.of("used_pct", 1))).getHeader(RegisterConstants.SKIPPED))
                .isEqualTo("missingKey");
    }

    @Test
    void readModeSharesTheRegisterOfTheUpdatingRoute() throws Exception {
        start("register:disk?value=data.used_pct&size=10&ops=count",
              "register:disk?mode=read&ops=count,mean,max");
        send(0, event("web01", Map.of("used_pct", 40)));
        send(0, event("web01", Map.of("used_pct", 50)));
        Message m = send(1, event("web01", Map.of()));
        assertThat(m.getHeader(RegisterConstants.COUNT)).isEqualTo(2);
        assertThat(m.getHeader(RegisterConstants.MEAN, Double.class)).isEqualTo(45);
        assertThat(m.getHeader(RegisterConstants.MAX, Double.class)).isEqualTo(50);
        assertThat(m.getHeaders()).doesNotContainKey(RegisterConstants.VALUE);
        Message other = send(1, event("db01", Map.of()));
        assertThat(other.getHeader(RegisterConstants.COUNT)).isEqualTo(0);
        assertThat(other.getHeaders()).doesNotContainKey(RegisterConstants.MEAN);
        assertThat(component.getRegister("disk").stats().updates()).as("reads are not updates").isEqualTo(2);
    }

    @Test
    void readModeWithoutAnyUpdatingEndpointWarnsOnceAndReadsAnEmptyWindow() throws Exception {
        start("register:nothing?mode=read&ops=count,mean");
        try (LogCapture log = new LogCapture(RegisterProducer.class)) {
            for (int i = 0; i < 3; i++) {
                Message m = send(0, event("web01", Map.of()));
                assertThat(m.getHeader(RegisterConstants.COUNT)).isEqualTo(0);
                assertThat(m.getHeaders()).doesNotContainKey(RegisterConstants.MEAN);
            }
            assertThat(log.messages()).singleElement().asString()
                    .contains("register:nothing (mode=read): no endpoint updates a register of that name");
        }
    }

    @Test
    void eventTimeSkipsInvalidTimesAndSamplesOlderThanTheWindow() throws Exception {
        start("register:disk?value=data.v&window=10m&timestamp=event&ops=count,slope");
        Message m = send(0, Event.builder("host/web01/disk").subject("web01").time("2026-01-01T00:00:00Z")
                .data(Map.of("v", 10)).build());
        assertThat(m.getHeader(RegisterConstants.COUNT)).isEqualTo(1);
        m = send(0, Event.builder("host/web01/disk").subject("web01").time("2026-01-01T02:00:00+02:00")
                .data(Map.of("v", 16)).build()); // the same instant, written with an offset
        assertThat(m.getHeader(RegisterConstants.COUNT)).isEqualTo(2);
        m = send(0, Event.builder("host/web01/disk").subject("web01").time("2026-01-01T00:05:00Z")
                .data(Map.of("v", 22)).build());
        assertThat(m.getHeader(RegisterConstants.COUNT)).isEqualTo(3);
        // x = 0, 0, 300 s; y = 10, 16, 22: mean x 100, mean y 16, Sxy = 600 + 0 + 1200, Sxx = 60000
        assertThat(m.getHeader(RegisterConstants.SLOPE, Double.class)).isCloseTo(0.03, within(1e-12));

        Map<String, Object> noTime = new HashMap<>(event("web01", Map.of("v", 1)));
        noTime.remove(Event.TIME);
        assertThat(send(0, noTime).getHeader(RegisterConstants.SKIPPED)).isEqualTo("invalidTimestamp");
        Map<String, Object> badTime = new HashMap<>(event("web01", Map.of("v", 1)));
        badTime.put(Event.TIME, "yesterday");
        assertThat(send(0, badTime).getHeader(RegisterConstants.SKIPPED)).isEqualTo("invalidTimestamp");
        m = send(0, Event.builder("host/web01/disk").subject("web01").time("2025-12-31T23:50:00Z")
                .data(Map.of("v", 1)).build());
        assertThat(m.getHeader(RegisterConstants.SKIPPED)).isEqualTo("tooOld");
        RegisterStats stats = component.getRegister("disk").stats();
        assertThat(stats.invalidTimestamps()).isEqualTo(2);
        assertThat(stats.tooOldSamples()).isEqualTo(1);
        assertThat(mock(0).getReceivedCounter()).isEqualTo(3);
    }

    @Test
    void statsHeaderCarriesTheCounters() throws Exception {
        start("register:disk?value=data.v&size=10&statsHeader=true&ops=count");
        send(0, event("web01", Map.of("x", 1)));
        Message m = send(0, event("web01", Map.of("v", 1)));
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = m.getHeader(RegisterConstants.STATS, Map.class);
        assertThat(stats).containsEntry("keys", 1).containsEntry("updates", 1L).containsEntry("missingValues", 1L)
                .containsEntry("evictions", 0L).containsKeys("nonNumericValues", "idleEvictions", "lateSamples");
    }

    @Test
    void updatesFromManyThreadsAreAllCounted() throws Exception {
        start("register:load?value=data.v&size=1000&ops=count,mean");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        send(0, event("host-" + (i % 10), Map.of("v", thread)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Register r = component.getRegister("load");
        assertThat(r.stats().updates()).isEqualTo(8000);
        assertThat(r.sampleCount()).isEqualTo(8000);
        assertThat(r.keyCount()).isEqualTo(10);
    }

    @Test
    void statsAreJmxAttributesOfTheEndpoint() throws Exception {
        start("register:jmx?value=data.v&size=10&maxKeys=2&ops=count");
        send(0, event("a", Map.of("v", 1)));
        send(0, event("b", Map.of("v", 1)));
        send(0, event("c", Map.of("v", 1)));
        send(0, event("c", Map.of("v", "x")));
        send(0, event("c", Map.of()));
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:context=" + context.getName()
                                                                 + ",type=endpoints,*"), null);
        ObjectName endpoint = names.stream().filter(n -> n.getKeyProperty("name").contains("register://jmx"))
                .findFirst().orElseThrow(() -> new AssertionError("no register endpoint MBean in " + names));
        assertThat(server.getAttribute(endpoint, "RegisterKeys")).isEqualTo(2);
        assertThat(server.getAttribute(endpoint, "RegisterEvictions")).isEqualTo(1L);
        assertThat(server.getAttribute(endpoint, "RegisterUpdates")).isEqualTo(3L);
        assertThat(server.getAttribute(endpoint, "RegisterNonNumericValues")).isEqualTo(1L);
        assertThat(server.getAttribute(endpoint, "RegisterMissingValues")).isEqualTo(1L);
        assertThat((Long) server.invoke(endpoint, "registerApproxBytes", null, null)).isPositive();
        server.invoke(endpoint, "clearRegister", null, null);
        assertThat(server.getAttribute(endpoint, "RegisterKeys")).isEqualTo(0);
    }

    @Test
    void badOptionsFailWhenTheRouteIsCreatedWithAClearMessage() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("register:d?size=10", "needs value=<event path>");
        cases.put("register:d?value=data..x&size=10", "value=data..x: 'data..x' is not an event path");
        cases.put("register:d?value=data.x", "a register needs a window");
        cases.put("register:d?value=data.x&size=10&ops=mean,median", "unknown register op 'median'");
        cases.put("register:d?value=data.x&size=10&ops=,", "ops is empty");
        cases.put("register:d?value=data.x&size=10&ops=predict", "ops=predict needs threshold");
        cases.put("register:d?value=data.x&size=10&threshold=100", "threshold is only used by the predict op");
        cases.put("register:d?value=data.x&size=5000", "size=5000 is more than maxSamples=1000");
        cases.put("register:d?value=data.x&size=10&mode=write", "mode=write is not one of update, read");
        cases.put("register:d?value=data.x&size=10&timestamp=now", "timestamp=now is not one of arrival, event");
        cases.put("register:d?value=data.x&size=10&onMissing=drop", "onMissing=drop is not one of stop, continue");
        cases.put("register:d?value=data.x&size=10&alpha=2", "alpha (EWMA smoothing) must be in (0, 1]");
        cases.put("register:d?value=data.x&size=10&warnEvery=0", "warnEvery must be at least 1");
        cases.put("register:d?value=data.x&size=10&maxKeys=0", "maxKeys must be at least 1");
        cases.put("register:d?value=data.x&window=soon", "soon");
        cases.put("register:d?value=x&valueLanguage=nosuchlang&size=10", "valueLanguage=nosuchlang: no such Camel "
                                                                           + "language");
        cases.put("register:d?value=data.x&size=10&key=a b", "register:d: key 'a b' is not an event path");
        cases.put("register:d?value=data.x&size=10&key=x&keyLanguage=nosuchlang", "keyLanguage=nosuchlang: no such "
                                                                                    + "Camel language");
        cases.put("register:d?value=data.x&size=10&bogus=1", "bogus");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThatThrownBy(() -> context.getEndpoint(c.getKey())).as(c.getKey())
                    .isInstanceOf(ResolveEndpointFailedException.class)
                    .hasStackTraceContaining(c.getValue());
        }
    }

    @Test
    void durationsAreWrittenTheCamelWay() {
        context.getEndpoint("register:a?value=data.x&window=1h30m&idleTimeout=2h");
        context.getEndpoint("register:b?value=data.x&window=45s");
        context.getEndpoint("register:c?value=data.x&window=500");
        assertThat(component.getRegister("a").settings().windowNanos()).isEqualTo(5400_000_000_000L);
        assertThat(component.getRegister("a").settings().idleTimeoutNanos()).isEqualTo(7200_000_000_000L);
        assertThat(component.getRegister("b").settings().windowNanos()).isEqualTo(45_000_000_000L);
        assertThat(component.getRegister("c").settings().windowNanos()).as("milliseconds").isEqualTo(500_000_000L);
    }

    @Test
    void endpointsUpdatingOneRegisterMustAgreeOnItsShape() {
        context.getEndpoint("register:disk?value=data.a&window=6h&ops=slope");
        // other ops, key and value are fine
        context.getEndpoint("register:disk?value=data.b&window=6h&ops=mean&key=data.host");
        assertThatThrownBy(() -> context.getEndpoint("register:disk?value=data.a&window=1h"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasStackTraceContaining("register:disk is already updated with window=PT6H")
                .hasStackTraceContaining("this one has window=PT1H");
    }

    @Test
    void idleKeysAreReleasedInTheBackgroundWhenNoEventComes() throws Exception {
        start("register:idle?value=data.v&size=10&idleTimeout=30s&ops=count");
        send(0, event("a", Map.of("v", 1)));
        send(0, event("b", Map.of("v", 1)));
        Register r = component.getRegister("idle");
        assertThat(r.keyCount()).isEqualTo(2);
        clock.advanceSeconds(31);
        // the component's sweeper runs once a second
        await().atMost(Duration.ofSeconds(10)).until(() -> r.keyCount() == 0);
        assertThat(r.stats().idleEvictions()).isEqualTo(2);
    }

    @Test
    void registerCannotStartARoute() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("register:disk?value=data.x&size=10").to("mock:x");
            }
        });
        assertThatThrownBy(() -> context.start()).isInstanceOf(FailedToStartRouteException.class)
                .hasStackTraceContaining("register: is used with to:");
    }
}
