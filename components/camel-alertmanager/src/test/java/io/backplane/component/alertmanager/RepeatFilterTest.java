package io.backplane.component.alertmanager;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded memory of suppressRepeats, on a clock the test moves. */
class RepeatFilterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RepeatFilter filter = new RepeatFilter(3, 60_000, now::get);

    private void advanceSeconds(long s) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void aRepeatIsDroppedAndAChangePasses() {
        assertThat(filter.admit("fp1", "firing\nt0")).isTrue();
        assertThat(filter.admit("fp1", "firing\nt0")).isFalse();
        assertThat(filter.admit("fp1", "resolved\nt0")).isTrue();
        assertThat(filter.admit("fp1", "resolved\nt0")).isFalse();
        assertThat(filter.admit("fp1", "firing\nt0")).isTrue();
        assertThat(filter.admit("fp1", "firing\nt1")).isTrue();
        assertThat(filter.admit("fp2", "firing\nt1")).isTrue();
    }

    @Test
    void anAlertIsForgottenAfterTheExpiryCountedFromItsLastEmission() {
        filter.admit("fp1", "firing");
        advanceSeconds(59);
        assertThat(filter.admit("fp1", "firing")).isFalse(); // a repeat does not extend the memory
        advanceSeconds(1);
        assertThat(filter.admit("fp1", "firing")).isTrue(); // a reminder after the expiry
        assertThat(filter.admit("fp1", "firing")).isFalse();
    }

    @Test
    void expiredEntriesAreDroppedAndTheSizeIsBounded() {
        filter.admit("a", "firing");
        filter.admit("b", "firing");
        filter.admit("c", "firing");
        filter.admit("d", "firing"); // over 3: "a", emitted longest ago, is forgotten
        assertThat(filter.size()).isEqualTo(3);
        assertThat(filter.admit("a", "firing")).isTrue();
        assertThat(filter.admit("d", "firing")).isFalse();
        advanceSeconds(61);
        assertThat(filter.admit("e", "firing")).isTrue();
        assertThat(filter.size()).isEqualTo(1);
    }

    @Test
    void forgetUndoesAnAdmissionOnlyForTheSameState() {
        filter.admit("fp1", "firing");
        filter.forget("fp1", "resolved");
        assertThat(filter.admit("fp1", "firing")).isFalse();
        filter.forget("fp1", "firing");
        assertThat(filter.admit("fp1", "firing")).isTrue();
    }
}
