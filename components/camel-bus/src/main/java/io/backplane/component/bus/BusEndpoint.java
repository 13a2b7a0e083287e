package io.backplane.component.bus;

import io.backplane.core.TagGlob;
import io.backplane.core.Tags;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Receive and publish Backplane events: a consumer receives every event whose tag matches its glob; a producer
 * publishes the current event, or the data in the body, under the endpoint's tag.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "bus", title = "Backplane Bus", syntax = "bus:tag",
             category = { Category.MESSAGING }, headersClass = BusConstants.class)
public class BusEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    @UriPath(description = "For a consumer, the tag glob to receive: segments separated by slashes, a single star "
                           + "segment for exactly one segment, a double star segment for any number, e.g. "
                           + "monitor/(double star)/firing. For a producer, the tag to publish under (optional: by "
                           + "default the event's own type).")
    private String tag;

    public BusEndpoint(String uri, BusComponent component, String tag) {
        super(uri, component);
        this.tag = tag == null || tag.isEmpty() ? null : tag;
    }

    @Override
    public BusComponent getComponent() {
        return (BusComponent) super.getComponent();
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    /** Many rules may listen to the same glob. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() {
        if (tag != null) {
            Tags.requireTag(tag);
        }
        return new BusProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (tag == null) {
            throw new IllegalArgumentException("bus consumer needs a tag glob, e.g. from: bus:monitor/**/firing");
        }
        BusConsumer consumer = new BusConsumer(this, processor, TagGlob.of(tag));
        configureConsumer(consumer);
        return consumer;
    }
}
