package io.backplane.benchmarks;

/** A benchmark: set up once, run at each event size, torn down. */
interface Scenario {

    String name();

    /** The scenario this one's ratio is computed against, or null. */
    default String baseline() {
        return null;
    }

    /** One line saying what is measured, for --list. */
    String description();

    default void setUp(Config config) throws Exception {
    }

    /** True when the event size is fixed by the scenario (e.g. a webhook payload): it runs once, not per size. */
    default boolean sizeIndependent() {
        return false;
    }

    Result run(int size, Config config) throws Exception;

    default void tearDown() throws Exception {
    }
}
