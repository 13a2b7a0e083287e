package io.backplane.gate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.backplane.component.state.FactStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatesTest {

    static final String SHOP = """
            gates:
              deploy-shop:
                description: no critical alert for shop, error rate low, not in maintenance
                require:
                  - absent: alerts/firing/shop/          # no fact under this prefix
                  - below: {fact: registers/error-rate/shop, value: 0.05}
                  - absent: maintenance/shop
            """;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private FactStore store;

    @BeforeEach
    void open() {
        store = FactStore.open(new FactStore.Settings(null, FactStore.OnCorrupt.FAIL, 1000, 4096, 1 << 20, 0, 4096),
                now::get, null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    GateStatus eval(String yaml, String gate) {
        return Gates.parse(yaml, "gates.yaml").get(gate).evaluate(store, now.get());
    }

    @Test
    void theExampleGateOpensAndClosesWithTheFacts() {
        store.set("registers/error-rate/shop", 0.01, 0);
        GateStatus open = eval(SHOP, "deploy-shop");
        assertThat(open.open()).isTrue();
        assertThat(open.reasons()).isEmpty();
        assertThat(open.toMap()).containsEntry("gate", "deploy-shop").containsEntry("open", true)
                .containsEntry("description", "no critical alert for shop, error rate low, not in maintenance");

        store.set("alerts/firing/shop/HighErrorRate", Map.of("severity", "critical"), 0);
        store.set("registers/error-rate/shop", 0.09, 0);
        store.set("maintenance/shop", "deploying db", 0);
        GateStatus closed = eval(SHOP, "deploy-shop");
        assertThat(closed.open()).isFalse();
        assertThat(closed.reasons()).containsExactly(
                "alerts/firing/shop/ has 1 fact: alerts/firing/shop/HighErrorRate",
                "registers/error-rate/shop is 0.09, not below 0.05",
                "maintenance/shop is set: \"deploying db\"");
    }

    @Test
    void aMissingNumberClosesTheGateUnlessAllowed() {
        assertThat(eval(SHOP, "deploy-shop").reasons()).containsExactly(
                "registers/error-rate/shop is not set (a missing fact fails 'below'; 'missing: pass' changes that)");
        String lenient = """
                gates:
                  g:
                    require:
                      - below: {fact: registers/error-rate/shop, value: 0.05, missing: pass}
                """;
        assertThat(eval(lenient, "g").open()).isTrue();
    }

    @Test
    void everyConditionKind() {
        String yaml = """
                gates:
                  g:
                    require:
                      - present: approvals/release-42/
                      - present: ci/green
                      - equals: {fact: freeze, value: "off"}
                      - above: {fact: capacity/shop, value: 2, path: replicas}
                      - any:
                          - absent: alerts/firing/shop/
                          - equals: {fact: override/shop, value: true}
                        reason: shop has firing alerts and no override
                """;
        assertThat(eval(yaml, "g").reasons()).containsExactly(
                "no fact under approvals/release-42/",
                "ci/green is not set",
                "freeze is not set (a missing fact fails 'equals'; 'missing: pass' changes that)",
                "capacity/shop is not set (a missing fact fails 'above'; 'missing: pass' changes that)");
        store.set("approvals/release-42/alice", true, 0);
        store.set("ci/green", true, 0);
        store.set("freeze", "on", 0);
        store.set("capacity/shop", Map.of("replicas", 2), 0);
        store.set("alerts/firing/shop/A", 1, 0);
        store.set("alerts/firing/shop/B", 1, 0);
        assertThat(eval(yaml, "g").reasons()).containsExactly(
                "freeze is \"on\", not \"off\"",
                "capacity/shop replicas is 2, not above 2",
                "shop has firing alerts and no override (none of these holds: alerts/firing/shop/ has 2 facts: "
                + "alerts/firing/shop/A, alerts/firing/shop/B; override/shop is not set (a missing fact fails "
                + "'equals'; 'missing: pass' changes that))");
        store.set("freeze", "off", 0);
        store.set("capacity/shop", Map.of("replicas", "3"), 0);
        store.set("override/shop", true, 0);
        assertThat(eval(yaml, "g").open()).isTrue();
        store.set("capacity/shop", Map.of("count", 3), 0);
        assertThat(eval(yaml, "g").reasons()).containsExactly("capacity/shop has no field replicas (value: "
                                                              + "{\"count\":3})");
        store.set("capacity/shop", Map.of("replicas", "many"), 0);
        assertThat(eval(yaml, "g").reasons()).containsExactly("capacity/shop replicas is \"many\", not a number (for "
                                                              + "'above 2')");
    }

    @Test
    void longListsOfFactsAreShortened() {
        for (int i = 0; i < 7; i++) {
            store.set("alerts/firing/shop/A" + i, 1, 0);
        }
        assertThat(eval(SHOP.replace("- absent: maintenance/shop", ""), "deploy-shop").reasons().get(0))
                .isEqualTo("alerts/firing/shop/ has 7 facts: alerts/firing/shop/A0, alerts/firing/shop/A1, "
                           + "alerts/firing/shop/A2, alerts/firing/shop/A3, alerts/firing/shop/A4 and 2 more");
    }

    @Test
    void anExpiredFactNoLongerCloses() {
        store.set("registers/error-rate/shop", 0.01, 0);
        store.set("maintenance/shop", true, 60_000);
        assertThat(eval(SHOP, "deploy-shop").open()).isFalse();
        now.addAndGet(60_000);
        assertThat(eval(SHOP, "deploy-shop").open()).isTrue();
    }

    @Test
    void aGateKnowsWhichFactsAffectIt() {
        Gate g = Gates.parse(SHOP, "x").get("deploy-shop");
        assertThat(g.affectedBy("alerts/firing/shop/X")).isTrue();
        assertThat(g.affectedBy("alerts/firing/shopping/X")).isFalse();
        assertThat(g.affectedBy("registers/error-rate/shop")).isTrue();
        assertThat(g.affectedBy("maintenance/shop")).isTrue();
        assertThat(g.affectedBy("maintenance/shop2")).isFalse();
    }

    @Test
    void badGateFilesNameTheGateAndTheCondition() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("", "gates file gates.yaml is empty");
        cases.put("gates: [", "gates file gates.yaml is not valid YAML");
        cases.put("gate:\n  a: {}", "must have one top-level key 'gates:'");
        cases.put("gates: {}", "with at least one gate");
        cases.put("gates:\n  deploy shop:\n    require: [{absent: a}]",
                "gate 'deploy shop': a gate name is letters, digits");
        cases.put("gates:\n  g:\n    requires: [{absent: a}]", "gate 'g': unknown key 'requires' (expected "
                                                                + "description, require)");
        cases.put("gates:\n  g:\n    description: x", "gate 'g' has no conditions");
        cases.put("gates:\n  g:\n    require: [{absnt: a}]",
                "gate 'g', condition 1 (absnt): unknown condition 'absnt'");
        cases.put("gates:\n  g:\n    require: [{absent: a}, {below: {fact: r, value: high}}]",
                "gate 'g', condition 2 (below): 'value' must be a number, got \"high\"");
        cases.put("gates:\n  g:\n    require: [{below: {fact: r}}]", "gate 'g', condition 1 (below) needs 'value'");
        cases.put("gates:\n  g:\n    require: [{below: {value: 1}}]", "gate 'g', condition 1 (below) needs 'fact: KEY'");
        cases.put("gates:\n  g:\n    require: [{below: {fact: r, value: 1, missing: maybe}}]",
                "'missing' must be pass or fail, got 'maybe'");
        cases.put("gates:\n  g:\n    require: [{below: {fact: r, value: 1, limit: 2}}]", "unknown key 'limit'");
        cases.put("gates:\n  g:\n    require: [{absent: a, present: b}]",
                "gate 'g', condition 1 must have exactly one of absent, present");
        cases.put("gates:\n  g:\n    require: [{any: []}]", "gate 'g', condition 1 (any) must be a list");
        cases.put("gates:\n  g:\n    require: [{any: [{absent: a}, {presnt: b}]}]",
                "gate 'g', condition 1 (any), condition 2 (presnt): unknown condition");
        cases.put("gates:\n  g:\n    require: [{absent: ''}]", "gate 'g', condition 1 (absent) must be a fact key");
        cases.put("gates:\n  g:\n    require: [{equals: {fact: a/, value: 1}}]", "key 'a/' ends with '/'");
        cases.put("gates:\n  g:\n    require: [{above: {fact: a, value: 1, path: 'x..y'}}]", "'path' 'x..y' is not");
        cases.put("gates:\n  g:\n    require: [{absent: a}]\n  g:\n    require: [{absent: b}]", "Duplicate field 'g'");
        cases.put("gates:\n  g:\n    require: [absent]", "gate 'g', condition 1 must be a map");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThatThrownBy(() -> Gates.parse(c.getKey(), "gates.yaml")).as(c.getKey())
                    .isInstanceOf(GateFileException.class).hasMessageContaining(c.getValue());
        }
    }

    @Test
    void gatesAreListedByName() {
        Gates gates = Gates.parse("gates:\n  b: {require: [{absent: x}]}\n  a: {require: [{absent: y}]}", "f");
        assertThat(gates.names()).containsExactly("a", "b");
        assertThat(gates.all()).extracting(Gate::name).isEqualTo(List.of("a", "b"));
    }
}
