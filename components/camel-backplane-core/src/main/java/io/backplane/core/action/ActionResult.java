package io.backplane.core.action;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.Tags;

/**
 * The result event every actor emits: {@code action/<actor>/<name>/<outcome>}, caused by the triggering event (its
 * id in {@code causationid}), with the duration, the target and the actor's output, each text bounded so a chatty
 * command cannot blow up the bus. Actors build results here so that every actor reports in the same shape.
 */
public final class ActionResult {

    /** What happened. {@code refused}: nothing ran (unknown host, locked, open circuit, bad input). */
    public enum Outcome {
        OK, FAILED, TIMEOUT, REFUSED;

        public String segment() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Default bound for each output text (stdout, stderr, response body): 16 KiB. */
    public static final int DEFAULT_MAX_OUTPUT = 16 * 1024;

    private final String actor;
    private final String name;
    private final Event cause;
    private final long startNanos = System.nanoTime();
    private final Map<String, Object> data = new LinkedHashMap<>();
    private String subject;
    private int maxOutput = DEFAULT_MAX_OUTPUT;

    private ActionResult(String actor, String name, Event cause) {
        this.actor = Tags.segment(actor);
        this.name = Tags.segment(name);
        this.cause = cause;
        this.subject = cause == null ? null : cause.subject();
    }

    /** Starts timing an action of {@code actor} (e.g. {@code ssh}) named {@code name}, caused by {@code cause}. */
    public static ActionResult start(String actor, String name, Event cause) {
        return new ActionResult(actor, name, cause);
    }

    /** The resource acted on (a host); defaults to the cause's subject. */
    public ActionResult subject(String subject) {
        this.subject = subject;
        return this;
    }

    public ActionResult maxOutput(int maxChars) {
        this.maxOutput = maxChars;
        return this;
    }

    /** A data field of the result; text values are truncated to the output bound. */
    public ActionResult put(String field, Object value) {
        if (value instanceof CharSequence text) {
            value = truncate(text.toString(), maxOutput);
        }
        data.put(field, value);
        return this;
    }

    /** Finishes with an outcome: the result event, with {@code durationMs} measured since {@link #start}. */
    public Event finish(Outcome outcome, String error) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("actor", actor);
        all.put("name", name);
        all.put("outcome", outcome.segment());
        if (subject != null) {
            all.put("target", subject);
        }
        all.put("durationMs", (System.nanoTime() - startNanos) / 1_000_000);
        if (error != null) {
            all.put("error", truncate(error, maxOutput));
        }
        all.putAll(data);
        if (cause != null) {
            all.put("cause", cause.type());
        }
        return Event.builder("action/" + actor + "/" + name + "/" + outcome.segment())
                .source("backplane/actor/" + actor)
                .subject(subject)
                .causedBy(cause)
                .data(all)
                .build();
    }

    public Event ok() {
        return finish(Outcome.OK, null);
    }

    /**
     * Cuts text to at most {@code maxChars} characters, marking the cut with how much was dropped, so a reader knows
     * the output is incomplete.
     */
    public static String truncate(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, maxChars) + "\n[truncated: " + (text.length() - maxChars) + " more characters]";
    }

    /** Decodes at most {@code maxBytes} of captured bytes as UTF-8 text, marking a cut. */
    public static String truncate(byte[] bytes, int length, int maxBytes) {
        int n = Math.min(length, maxBytes);
        String text = new String(bytes, 0, n, StandardCharsets.UTF_8);
        return length > maxBytes ? text + "\n[truncated: " + (length - maxBytes) + " more bytes]" : text;
    }
}
