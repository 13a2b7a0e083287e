package io.backplane.gate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.Tags;

/**
 * A gate's state at one moment.
 *
 * @param gate        the gate's name
 * @param description the gate's description, or null
 * @param open        true when every condition holds
 * @param reasons     why it is closed (empty when open)
 * @param checked     epoch milliseconds of the evaluation
 */
public record GateStatus(String gate, String description, boolean open, List<String> reasons, long checked) {

    /** "open" or "closed". */
    public String state() {
        return open ? "open" : "closed";
    }

    /** The JSON answer of {@code GET /gates/<name>}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gate", gate);
        m.put("open", open);
        m.put("state", state());
        if (description != null) {
            m.put("description", description);
        }
        m.put("reasons", reasons);
        m.put("checked", Instant.ofEpochMilli(checked).toString());
        return m;
    }

    /** The event announcing that the gate has just become this: {@code gate/<name>/open|closed}. */
    public Event toEvent(String cause) {
        Map<String, Object> data = toMap();
        data.put("previous", open ? "closed" : "open");
        data.put("cause", cause);
        return Event.builder("gate/" + Tags.segment(gate) + "/" + state())
                .source("backplane/gates")
                .subject(gate)
                .data(data)
                .build();
    }
}
