package io.backplane.component.beacon;

/** How the deadband of {@code emit=change} is measured. */
public enum DeadbandMode {
    /** In the metric's own unit: deadband=5 on memory means 5 percentage points. */
    absolute,
    /** In percent of the last emitted value: deadband=10 means a move of more than 10% of it. */
    percent
}
