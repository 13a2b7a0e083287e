package io.backplane.component.sshaction;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.backplane.core.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shell injection attempts through the event fields an action reads, shared by the tests against the in-process
 * server and against the real OpenSSH sshd. Each value tries to run {@code touch M}; the action must run the command
 * with the value as one argument, and M must never appear.
 */
final class Injection {

    /** printf repeats its format per argument, so "[v]" proves v arrived as exactly one argument. */
    static final String COMMAND = "printf '[%s]' ${subject} ${data.value}";

    private Injection() {
    }

    static List<String> attacks(Path marker) {
        String m = marker.toString();
        return List.of(
                "$(touch " + m + ")",
                "`touch " + m + "`",
                "x; touch " + m,
                "x | touch " + m,
                "x && touch " + m,
                "x\ntouch " + m,
                "x\rtouch " + m,
                "x' ; touch " + m + " ; '",
                "\"; touch " + m + "; \"",
                "'\"'\"'; touch " + m + "; '",
                "${IFS}touch${IFS}" + m,
                "-n",
                "x".repeat(100_000) + "$(touch " + m + ")");
    }

    /**
     * Sends every attack as the subject and as data.value (host taken from data.target) and checks the output;
     * {@code act} sends an event to the endpoint and returns the result.
     */
    static void assertNoInjection(Path marker, BiFunction<String, Event, Event> act, String uri) {
        for (String attack : attacks(marker)) {
            // each field on its own: Linux takes at most 128 KiB in one argument, and the remote shell gets the
            // whole command as one ("sh -c <command>")
            check(marker, act, uri, attack, "plain");
            check(marker, act, uri, "plain", attack);
        }
    }

    private static void check(Path marker, BiFunction<String, Event, Event> act, String uri, String subject,
                              String value) {
        Event trigger = Event.builder("test/trigger").subject(subject)
                .data(Map.of("target", "web01", "value", value)).build();
        Event result = act.apply(uri, trigger);
        String attack = shortly(subject.equals("plain") ? value : subject);
        assertThat(result.type()).as("result for %s: %s", attack, result.data().get("error"))
                .isEqualTo("action/ssh/echo/ok");
        assertThat((String) result.data().get("stdout")).as("output for %s", attack)
                .isEqualTo("[" + subject + "][" + value + "]");
        assertThat(marker).as("marker after %s", attack).doesNotExist();
    }

    /** With the default host template the subject names the host: an attack there is an unknown host. */
    static void assertSubjectCannotPickAHost(Path marker, BiFunction<String, Event, Event> act, String uri) {
        for (String attack : attacks(marker)) {
            Event result = act.apply(uri, Event.builder("test/trigger").subject(attack).build());
            assertThat(result.type()).as("result for %s", shortly(attack)).isEqualTo("action/ssh/touch/failed");
            assertThat((String) result.data().get("error")).contains("is not in the inventory");
            assertThat(marker).doesNotExist();
        }
    }

    private static String shortly(String attack) {
        return attack.length() > 60 ? attack.substring(0, 30) + "..." : attack;
    }
}
