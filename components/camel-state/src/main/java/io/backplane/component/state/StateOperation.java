package io.backplane.component.state;

/** What a {@code state:} endpoint does. */
public enum StateOperation {
    /** Producer: set a fact. */
    set,
    /** Producer: read a fact into headers (or the body). */
    get,
    /** Producer: delete a fact, or all facts under a prefix. */
    delete,
    /** Producer: the facts under a prefix, as a map. */
    list,
    /** Producer: evaluate a gate into headers. Consumer: events when gates open or close. */
    gates,
    /** Consumer: events when facts are set, deleted or expire. */
    changes;

    boolean canProduce() {
        return this != changes;
    }

    boolean canConsume() {
        return this == gates || this == changes;
    }
}
