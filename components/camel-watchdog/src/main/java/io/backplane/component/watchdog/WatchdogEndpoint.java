package io.backplane.component.watchdog;

import io.backplane.core.KeyReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import io.backplane.core.InvalidEventException;
import io.backplane.core.TagGlob;
import io.backplane.core.Tags;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Absence of events: expects an event matching a tag glob per key at least every timeout, and emits
 * {@code <tag>/missing} when one does not come and {@code <tag>/back} when it returns.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "watchdog", title = "Backplane Watchdog", syntax = "watchdog:name",
             category = { Category.MONITORING }, consumerOnly = true, headersClass = WatchdogConstants.class)
public class WatchdogEndpoint extends DefaultEndpoint {

    @UriPath(description = "The watchdog's name: in its events' source (backplane/watchdog/<name>) and data, and in "
                           + "logs. One running route per name.")
    @Metadata(required = true)
    private String name;

    @UriParam(description = "The tag glob of the events to expect, e.g. app/*/heartbeat. The watchdog subscribes to "
                            + "the bus with it. Required.")
    @Metadata(required = true)
    private String glob;

    @UriParam(javaType = "java.time.Duration",
              description = "How long a key may stay silent: 30s, 5m, 1h, 500ms or milliseconds. Required.")
    @Metadata(required = true)
    private long timeout;

    @UriParam(defaultValue = "subject",
              description = "What identifies the reporter: comma-separated event paths (subject, data.host; several "
                            + "values are joined with '/'), or an expression in keyLanguage. Events without a key are "
                            + "ignored and counted.")
    private String key = "subject";

    @UriParam(description = "A Camel language (simple, jsonpath, ...) in which key is written; empty: key is a list of "
                            + "event paths.")
    private String keyLanguage;

    @UriParam(description = "Comma-separated keys expected from the start: each is reported missing if it sends "
                            + "nothing within timeout after the route starts. Other keys are watched from their first "
                            + "event on.")
    private String keys;

    @UriParam(description = "The tag of the events of a key never seen (its missing event is <tag>/missing). Default: "
                            + "the glob when it has no wildcard; required with keys and a glob with wildcards.")
    private String tag;

    @UriParam(defaultValue = "10000",
              description = "The most keys watched. When full, the longest-missing key is forgotten first, then the "
                            + "longest-silent reporting one (it will not be reported); evictions are counted.")
    private int maxKeys = 10_000;

    private TagGlob compiledGlob;
    private List<String> expectedKeys = List.of();

    public WatchdogEndpoint(String uri, WatchdogComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public WatchdogComponent getComponent() {
        return (WatchdogComponent) super.getComponent();
    }

    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("watchdog needs a name, e.g. watchdog:heartbeats?glob=app/*/heartbeat"
                                               + "&timeout=30s");
        }
        String me = "watchdog:" + name;
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException(me + ": glob is required (the tag glob of the events to expect, e.g. "
                                               + "glob=app/*/heartbeat)");
        }
        try {
            compiledGlob = TagGlob.of(glob);
        } catch (InvalidEventException e) {
            throw new IllegalArgumentException(me + ": " + e.getMessage(), e);
        }
        if (timeout <= 0) {
            throw new IllegalArgumentException(me + ": timeout is required and must be > 0 (e.g. timeout=30s), was "
                                               + timeout + "ms");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException(me + ": maxKeys must be >= 1, was " + maxKeys);
        }
        LinkedHashSet<String> expected = new LinkedHashSet<>();
        if (keys != null) {
            for (String k : keys.split(",")) {
                if (!k.isBlank()) {
                    expected.add(k.trim());
                }
            }
        }
        if (expected.size() > maxKeys) {
            throw new IllegalArgumentException(me + ": keys lists " + expected.size() + " keys, more than maxKeys="
                                               + maxKeys);
        }
        expectedKeys = new ArrayList<>(expected);
        if (tag != null && !tag.isBlank()) {
            try {
                Tags.requireTag(tag);
            } catch (InvalidEventException e) {
                throw new IllegalArgumentException(me + ": tag: " + e.getMessage(), e);
            }
        } else if (!expectedKeys.isEmpty() && !compiledGlob.isLiteral()) {
            throw new IllegalArgumentException(me + ": keys needs tag (the tag of the events of a key never seen, "
                                               + "e.g. tag=app/web01/heartbeat) because glob " + glob
                                               + " has wildcards");
        }
    }

    /** The base tag of keys never seen. */
    String neverSeenTag() {
        return tag != null && !tag.isBlank() ? tag : compiledGlob.isLiteral() ? glob : null;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("watchdog:" + name + " is a consumer only: use from: watchdog:...");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        WatchdogConsumer consumer = new WatchdogConsumer(this, processor,
                KeyReader.of(getCamelContext(), key, keyLanguage, "watchdog:" + name));
        configureConsumer(consumer);
        return consumer;
    }

    List<String> expectedKeys() {
        return expectedKeys;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getGlob() {
        return glob;
    }

    public void setGlob(String glob) {
        this.glob = glob;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getKeyLanguage() {
        return keyLanguage;
    }

    public void setKeyLanguage(String keyLanguage) {
        this.keyLanguage = keyLanguage;
    }

    public String getKeys() {
        return keys;
    }

    public void setKeys(String keys) {
        this.keys = keys;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public int getMaxKeys() {
        return maxKeys;
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }
}
