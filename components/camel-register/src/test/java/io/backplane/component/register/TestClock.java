package io.backplane.component.register;

import java.util.concurrent.TimeUnit;

/** A clock the test moves by hand: no sleeps, exact times. */
final class TestClock implements RegisterClock {

    private volatile long nanos = TimeUnit.HOURS.toNanos(1);

    @Override
    public long nanos() {
        return nanos;
    }

    void advanceSeconds(double seconds) {
        nanos += (long) (seconds * 1e9);
    }

    void setSeconds(double seconds) {
        nanos = (long) (seconds * 1e9);
    }
}
