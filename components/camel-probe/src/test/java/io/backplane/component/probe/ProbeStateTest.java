package io.backplane.component.probe;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeStateTest {

    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void oneFailureAndOneSuccessConfirmAtOnce() {
        ProbeState s = new ProbeState(1, 1, t0);
        ProbeState.Transition down = s.record(false, t0.plusSeconds(1));
        assertThat(down.from()).isEqualTo(ProbeState.State.UNKNOWN);
        assertThat(down.to()).isEqualTo(ProbeState.State.DOWN);
        assertThat(down.previousSince()).isEqualTo(t0);
        assertThat(s.record(false, t0.plusSeconds(2))).isNull();
        ProbeState.Transition up = s.record(true, t0.plusSeconds(3));
        assertThat(up.to()).isEqualTo(ProbeState.State.UP);
        assertThat(up.previousSince()).isEqualTo(t0.plusSeconds(1));
        assertThat(up.since()).isEqualTo(t0.plusSeconds(3));
    }

    @Test
    void alternatingResultsNeverConfirmAState() {
        ProbeState s = new ProbeState(2, 2, t0);
        for (int i = 0; i < 20; i++) {
            assertThat(s.record(i % 2 == 0, t0)).isNull();
        }
        assertThat(s.state()).isEqualTo(ProbeState.State.UNKNOWN);
        assertThat(s.consecutive()).isEqualTo(1);
    }

    @Test
    void streakCountsOnAfterTheChange() {
        ProbeState s = new ProbeState(3, 2, t0);
        s.record(false, t0);
        s.record(false, t0);
        assertThat(s.record(false, t0).consecutive()).isEqualTo(3);
        assertThat(s.record(false, t0)).isNull();
        assertThat(s.consecutive()).isEqualTo(4);
        assertThat(s.state().label()).isEqualTo("down");
    }
}
