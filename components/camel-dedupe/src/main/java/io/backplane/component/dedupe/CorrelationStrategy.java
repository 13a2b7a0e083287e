package io.backplane.component.dedupe;

import io.backplane.core.MonotonicClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.Events;
import io.backplane.core.TagGlob;
import io.backplane.core.Tags;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * Correlation for Camel's aggregate EIP: "all of these tags (or any {@code count} of them) for the same subject
 * within {@code within}". As an {@link AggregationStrategy} (correlate by the subject header) it keeps, per group,
 * the latest event of each wanted tag pattern that arrived within the last {@code within}; once enough distinct
 * patterns are present it turns the group into one combined event and sets the exchange property
 * {@value #COMPLETE} for the aggregate's completion predicate. As a {@link Predicate} it lets through only events
 * that have a subject and match one of the patterns, to put in a filter before the aggregate.
 * <p>
 * Memory: a group holds at most one event per pattern; groups end when complete or (completionTimeout) discarded.
 * Used by the {@code backplane-correlate-source} kamelet.
 */
public class CorrelationStrategy implements AggregationStrategy, Predicate {

    /** Exchange property set to true on the aggregated exchange when the group is complete. */
    public static final String COMPLETE = "CamelBackplaneCorrelationComplete";
    private static final String GROUP = "CamelBackplaneCorrelationGroup";

    private List<TagGlob> patterns = List.of();
    private int count;
    private Duration within;
    private String tag;
    private String source = "backplane/correlate";
    private Clock clock = MonotonicClock.INSTANCE;

    /** Per group: the latest event of each pattern (by pattern index) with its arrival time, oldest first. */
    private record Seen(Event event, long at) {
    }

    private static final class Group {
        final LinkedHashMap<Integer, Seen> seen = new LinkedHashMap<>();
    }

    @Override
    public boolean matches(Exchange exchange) {
        check();
        Object body = exchange.getMessage().getBody();
        return body instanceof Event e && e.subject() != null && !e.subject().isEmpty() && patternOf(e.type()) >= 0;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        check();
        Exchange group = oldExchange != null ? oldExchange : newExchange;
        Event event = newExchange.getMessage().getBody(Event.class);
        int pattern = event == null ? -1 : patternOf(event.type());
        if (pattern < 0) {
            // not wanted (no filter in front): leave the group as it is
            return group;
        }
        Group g = group.getProperty(GROUP, Group.class);
        if (g == null) {
            g = new Group();
            group.setProperty(GROUP, g);
        }
        long now = clock.millis();
        long oldest = now - within.toMillis();
        for (Iterator<Seen> it = g.seen.values().iterator(); it.hasNext();) {
            if (it.next().at() < oldest) {
                it.remove();
            }
        }
        g.seen.remove(pattern);
        g.seen.put(pattern, new Seen(event, now));
        if (g.seen.size() >= needed()) {
            Event combined = combine(event, g);
            Events.toMessage(combined, group.getMessage());
            group.setProperty(COMPLETE, true);
            group.removeProperty(GROUP);
        } else if (group != newExchange) {
            // the group's message stays the latest event while incomplete
            Events.toMessage(event, group.getMessage());
        }
        return group;
    }

    private Event combine(Event last, Group g) {
        List<Map<String, Object>> events = new ArrayList<>(g.seen.size());
        for (Seen s : g.seen.values()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", s.event().id());
            e.put("type", s.event().type());
            e.put("source", s.event().source());
            if (s.event().time() != null) {
                e.put("time", s.event().time());
            }
            e.put("data", s.event().data());
            events.add(e);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subject", last.subject());
        data.put("tags", patterns.stream().map(TagGlob::pattern).toList());
        data.put("count", needed());
        data.put("withinMs", within.toMillis());
        data.put("events", events);
        return Event.builder(tag).subject(last.subject()).source(source).causedBy(last).data(data).build();
    }

    private int patternOf(String type) {
        if (type == null) {
            return -1;
        }
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matches(type)) {
                return i;
            }
        }
        return -1;
    }

    private int needed() {
        return count <= 0 ? patterns.size() : count;
    }

    private void check() {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("correlation needs tags: a comma-separated list of tags or tag globs");
        }
        if (tag == null) {
            throw new IllegalArgumentException("correlation needs tag: the tag of the combined event");
        }
        if (within == null || within.isZero() || within.isNegative()) {
            throw new IllegalArgumentException("correlation needs within > 0 (e.g. 5m), was " + within);
        }
    }

    public String getTags() {
        return String.join(",", patterns.stream().map(TagGlob::pattern).toList());
    }

    /** Comma-separated tags or tag globs that must be seen (all, or {@code count} of them). */
    public void setTags(String tags) {
        List<TagGlob> out = new ArrayList<>();
        for (String t : tags == null ? new String[0] : tags.split(",")) {
            if (!t.isBlank()) {
                out.add(TagGlob.of(t.trim()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("correlation tags is empty: give a comma-separated list of tags or "
                                               + "tag globs");
        }
        if (count > out.size()) {
            throw countError(count, out.size());
        }
        this.patterns = List.copyOf(out);
    }

    public int getCount() {
        return count;
    }

    /** Any {@code count} of the tags complete a group; 0 (the default) means all of them. */
    public void setCount(int count) {
        if (count < 0 || (!patterns.isEmpty() && count > patterns.size())) {
            throw countError(count, patterns.size());
        }
        this.count = count;
    }

    private static IllegalArgumentException countError(int count, int tags) {
        return new IllegalArgumentException("correlation count must be between 0 (all) and the number of tags ("
                                            + tags + "), was " + count);
    }

    public Duration getWithin() {
        return within;
    }

    public void setWithin(Duration within) {
        if (within == null || within.isZero() || within.isNegative()) {
            throw new IllegalArgumentException("correlation needs within > 0 (e.g. 5m), was " + within);
        }
        this.within = within;
    }

    public String getTag() {
        return tag;
    }

    /** The tag of the combined event. */
    public void setTag(String tag) {
        this.tag = Tags.requireTag(tag);
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public Clock getClock() {
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }
}
