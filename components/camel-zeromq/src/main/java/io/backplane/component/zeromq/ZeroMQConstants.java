package io.backplane.component.zeromq;

import org.apache.camel.spi.Metadata;

/**
 * Message headers of the ZeroMQ component.
 */
public final class ZeroMQConstants {

    @Metadata(description = "The topic: the first frame of a multipart message, as a UTF-8 string. Consumer: set by "
                            + "SUB and XSUB sockets when a message has two or more frames. Producer: PUB and XPUB "
                            + "send two frames (this topic, then the body); it overrides the endpoint's topic option.",
              javaType = "String")
    public static final String TOPIC = "CamelZeroMQTopic";

    @Metadata(description = "All frames of a received multipart message (two or more frames), in order: set by "
                            + "consumers, and by REQ producers for the reply. The body is the last frame. Not set for "
                            + "single-frame messages; never read by producers.",
              javaType = "java.util.List<byte[]>")
    public static final String FRAMES = "CamelZeroMQFrames";

    private ZeroMQConstants() {
    }
}
