package io.backplane.component.beacon;

/** When a beacon emits an event. */
public enum EmitMode {
    /** Every poll. */
    always,
    /** When the value moved more than the deadband since the last emitted value, or the state changed. */
    change,
    /** When the state changes (normal to high and back; running to stopped and back). */
    threshold
}
