package io.backplane.component.beacon;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static io.backplane.component.beacon.BeaconFilter.ALWAYS;
import static io.backplane.component.beacon.BeaconFilter.CHANGE;
import static io.backplane.component.beacon.BeaconFilter.INITIAL;
import static io.backplane.component.beacon.BeaconFilter.THRESHOLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decision rules, fed with numbers: no OSHI, no Camel. */
class BeaconFilterTest {

    private static BeaconFilter threshold(Double above, Double below) {
        return new BeaconFilter(EmitMode.threshold, above, below, 0, DeadbandMode.absolute, true, "high", "normal");
    }

    private static BeaconFilter change(double deadband, DeadbandMode mode) {
        return new BeaconFilter(EmitMode.change, null, null, deadband, mode, true, "high", "normal");
    }

    /** Feeds the values; returns "value:reason:state" for each emitted one, "-" for each silent one. */
    private static List<String> feed(BeaconFilter filter, double... values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            BeaconFilter.Decision d = filter.offer(v);
            out.add(d == null ? "-" : v + ":" + d.reason() + (d.state() == null ? "" : ":" + d.state()));
        }
        return out;
    }

    @Test
    void hysteresisGoesHighAtAboveAndNormalOnlyAtBelow() {
        BeaconFilter f = threshold(4.0, 3.0);
        assertThat(feed(f, 1.0, 3.9, 4.0, 5.0, 3.5, 3.1, 3.0, 3.5, 3.9, 4.2))
                .containsExactly("1.0:initial:normal", "-", "4.0:threshold:high", "-", "-", "-",
                        "3.0:threshold:normal", "-", "-", "4.2:threshold:high");
    }

    @Test
    void valuesBetweenBelowAndAboveKeepTheStateTheyCameFrom() {
        BeaconFilter f = threshold(90.0, 85.0);
        assertThat(feed(f, 88.0)).containsExactly("88.0:initial:normal");
        assertThat(feed(f, 92.0, 88.0, 86.0, 85.0, 88.0)).containsExactly("92.0:threshold:high", "-", "-",
                "85.0:threshold:normal", "-");
    }

    @Test
    void withoutBelowTheStateIsNormalAgainStrictlyUnderAbove() {
        BeaconFilter f = threshold(4.0, null);
        // sitting exactly on the threshold does not flap
        assertThat(feed(f, 4.0, 4.0, 4.0, 3.99, 4.0)).containsExactly("4.0:initial:high", "-", "-",
                "3.99:threshold:normal", "4.0:threshold:high");
    }

    @Test
    void firstReadingOverTheThresholdIsHigh() {
        assertThat(feed(threshold(0.0001, null), 23.0)).containsExactly("23.0:initial:high");
    }

    @Test
    void decisionsCarryPreviousStateAndValue() {
        BeaconFilter f = threshold(4.0, 3.0);
        BeaconFilter.Decision first = f.offer(2.0);
        assertThat(first.previousState()).isNull();
        assertThat(first.previousValue()).isNull();
        f.offer(3.0);
        BeaconFilter.Decision high = f.offer(4.5);
        assertThat(high).isEqualTo(new BeaconFilter.Decision(4.5, THRESHOLD, "high", "normal", 2.0));
        assertThat(f.state()).isEqualTo("high");
    }

    @Test
    void emitOnStartFalseOnlyRemembersTheFirstReading() {
        BeaconFilter f = new BeaconFilter(EmitMode.threshold, 4.0, 3.0, 0, DeadbandMode.absolute, false, "high",
                "normal");
        assertThat(feed(f, 5.0, 5.0, 2.0)).containsExactly("-", "-", "2.0:threshold:normal");
        BeaconFilter g = new BeaconFilter(EmitMode.change, null, null, 1.0, DeadbandMode.absolute, false, "high", "normal");
        // the silent first reading is still the reference of the deadband
        assertThat(feed(g, 10.0, 10.5, 11.5)).containsExactly("-", "-", "11.5:change");
        assertThat(g.offer(12.0)).isNull();
    }

    @Test
    void absoluteDeadbandComparesWithTheLastEmittedValue() {
        BeaconFilter f = change(5.0, DeadbandMode.absolute);
        // slow drift: 3 + 3 moves 6 from the last emitted value, so the second step is emitted
        assertThat(feed(f, 50.0, 53.0, 56.0, 52.0, 51.0, 50.9, 46.0))
                .containsExactly("50.0:initial", "-", "56.0:change", "-", "-", "50.9:change", "-");
    }

    @Test
    void deadbandIsExclusive() {
        BeaconFilter f = change(5.0, DeadbandMode.absolute);
        assertThat(feed(f, 10.0, 15.0, 15.01)).containsExactly("10.0:initial", "-", "15.01:change");
    }

    @Test
    void zeroDeadbandEmitsEveryChangeButNotRepeats() {
        BeaconFilter f = change(0.0, DeadbandMode.absolute);
        assertThat(feed(f, 1.0, 1.0, 1.5, 1.5, 1.0)).containsExactly("1.0:initial", "-", "1.5:change", "-",
                "1.0:change");
    }

    @Test
    void percentDeadbandIsRelativeToTheLastEmittedValue() {
        BeaconFilter f = change(10.0, DeadbandMode.percent);
        assertThat(feed(f, 200.0, 219.0, 221.0, 200.0, 198.0)).containsExactly("200.0:initial", "-", "221.0:change",
                "-", "198.0:change");
        // from zero any move is more than 10 % of it
        BeaconFilter z = change(10.0, DeadbandMode.percent);
        assertThat(feed(z, 0.0, 0.0, 0.01)).containsExactly("0.0:initial", "-", "0.01:change");
    }

    @Test
    void changeModeWithThresholdsAlsoEmitsStateChangesInsideTheDeadband() {
        BeaconFilter f = new BeaconFilter(EmitMode.change, 80.0, 70.0, 20.0, DeadbandMode.absolute, true, "high",
                "normal");
        assertThat(feed(f, 75.0, 81.0, 79.0, 100.0, 102.0, 69.0))
                .containsExactly("75.0:initial:normal", "81.0:threshold:high", "-", "-", "102.0:change:high",
                        "69.0:threshold:normal");
    }

    @Test
    void alwaysEmitsEveryReadingAndNamesStateChanges() {
        BeaconFilter f = new BeaconFilter(EmitMode.always, 4.0, 3.0, 0, DeadbandMode.absolute, true, "high",
                "normal");
        assertThat(feed(f, 1.0, 1.0, 4.0, 4.0)).containsExactly("1.0:initial:normal", "1.0:always:normal",
                "4.0:threshold:high", "4.0:always:high");
        BeaconFilter plain = new BeaconFilter(EmitMode.always, null, null, 0, DeadbandMode.absolute, true, "high",
                "normal");
        assertThat(feed(plain, 1.0, 1.0)).containsExactly("1.0:initial", "1.0:always");
        assertThat(plain.offer(2.0).reason()).isEqualTo(ALWAYS);
    }

    @Test
    void processStatesRunningAndStopped() {
        BeaconFilter f = new BeaconFilter(EmitMode.threshold, 1.0, 0.0, 0, DeadbandMode.absolute, true, "running",
                "stopped");
        assertThat(feed(f, 2, 3, 1, 0, 0, 1)).containsExactly("2.0:initial:running", "-", "-", "0.0:threshold:stopped",
                "-", "1.0:threshold:running");
    }

    @Test
    void reasonsAreTheDocumentedWords() {
        assertThat(List.of(INITIAL, THRESHOLD, CHANGE, ALWAYS)).containsExactly("initial", "threshold", "change",
                "always");
    }

    @Test
    void belowGreaterThanAboveIsRefused() {
        assertThatThrownBy(() -> threshold(3.0, 4.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below (4.0) must not be greater than above (3.0)");
    }

    @Test
    void belowWithoutAboveIsRefused() {
        assertThatThrownBy(() -> new BeaconFilter(EmitMode.always, null, 3.0, 0, DeadbandMode.absolute, true, "high",
                "normal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below needs above");
    }

    @Test
    void thresholdModeWithoutAboveIsRefused() {
        assertThatThrownBy(() -> threshold(null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("emit=threshold needs above");
    }

    @Test
    void negativeOrNonFiniteNumbersAreRefused() {
        assertThatThrownBy(() -> change(-1.0, DeadbandMode.absolute))
                .hasMessageContaining("deadband must be a number >= 0, was -1.0");
        assertThatThrownBy(() -> threshold(Double.NaN, null)).hasMessageContaining("above must be a finite number");
        assertThatThrownBy(() -> threshold(4.0, Double.NEGATIVE_INFINITY))
                .hasMessageContaining("below must be a finite number");
        assertThatThrownBy(() -> change(1.0, DeadbandMode.absolute).offer(Double.NaN))
                .hasMessageContaining("not a number");
    }
}
