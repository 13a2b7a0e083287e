package io.backplane.gate;

import java.util.ArrayList;
import java.util.List;

import io.backplane.component.state.FactStore;

/**
 * A deploy gate: a name, a description and the conditions over facts that must all hold for it to be open.
 *
 * @param name        one tag segment: letters, digits, '.', '_' and '-'
 * @param description what the gate protects (shown in answers and events), or null
 * @param require     the conditions, all of which must hold
 */
public record Gate(String name, String description, List<Condition> require) {

    public Gate {
        require = List.copyOf(require);
    }

    /** Evaluates the gate now. */
    public GateStatus evaluate(FactStore store, long now) {
        List<String> reasons = new ArrayList<>();
        for (Condition c : require) {
            reasons.addAll(c.check(store));
        }
        return new GateStatus(name, description, reasons.isEmpty(), List.copyOf(reasons), now);
    }

    /** True when a change of the fact at {@code key} can open or close this gate. */
    public boolean affectedBy(String key) {
        for (Condition c : require) {
            if (c.affectedBy(key)) {
                return true;
            }
        }
        return false;
    }
}
