package io.backplane.component.register;

/**
 * The clock a register reads for arrival times, idle eviction and the time a read happens: nanoseconds from an
 * arbitrary origin, never going backwards in production ({@link #SYSTEM} is {@link System#nanoTime()}). Tests and
 * replays inject their own (component option {@code clock}).
 */
@FunctionalInterface
public interface RegisterClock {

    RegisterClock SYSTEM = System::nanoTime;

    long nanos();
}
