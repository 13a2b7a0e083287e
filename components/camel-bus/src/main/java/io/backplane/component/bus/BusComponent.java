package io.backplane.component.bus;

import java.util.Map;
import java.util.function.Consumer;

import io.backplane.core.EventCodec;
import org.apache.camel.Endpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.DefaultComponent;

/**
 * The transport-neutral event bus. Every option can also be set as a {@code backplane.bus.*} application property
 * (e.g. {@code backplane.bus.transport=kafka}), which wins over the component's own configuration.
 */
@org.apache.camel.spi.annotations.Component("bus")
public class BusComponent extends DefaultComponent {

    @Metadata(defaultValue = "zeromq", enums = "zeromq,kafka",
              description = "The transport: zeromq (embedded hub, one machine) or kafka (several instances). "
                            + "Property backplane.bus.transport.")
    private String transport = "zeromq";
    @Metadata(defaultValue = "1048576", description = "Largest event accepted, in bytes of JSON. Property "
                                                      + "backplane.bus.max-event-bytes.")
    private int maxEventBytes = EventCodec.DEFAULT_MAX_BYTES;
    @Metadata(defaultValue = "5000", description = "How long (ms) to wait for the transport at start (hub "
                                                   + "subscription, Kafka partition assignment) and for a Kafka send. "
                                                   + "Property backplane.bus.connect-timeout.")
    private long connectTimeout = 5000;
    @Metadata(label = "zeromq", defaultValue = "127.0.0.1", description = "Address of the ZeroMQ hub: the embedded hub "
                                                                          + "binds to it. Property backplane.bus.zeromq.host.")
    private String host = "127.0.0.1";
    @Metadata(label = "zeromq", defaultValue = "7781", description = "Hub port that emitters publish to (XSUB). "
                                                                     + "Property backplane.bus.zeromq.publish-port.")
    private int publishPort = 7781;
    @Metadata(label = "zeromq", defaultValue = "7782", description = "Hub port that subscribers read from (XPUB). "
                                                                     + "Property backplane.bus.zeromq.subscribe-port.")
    private int subscribePort = 7782;
    @Metadata(label = "zeromq", defaultValue = "true", description = "Run the hub in this process; false to connect "
                                                                     + "to a hub run by another process. Property "
                                                                     + "backplane.bus.zeromq.embedded-hub.")
    private boolean embeddedHub = true;
    @Metadata(label = "zeromq", defaultValue = "100000", description = "ZeroMQ high-water mark (messages queued per "
                                                                       + "peer before ZeroMQ drops). Property "
                                                                       + "backplane.bus.zeromq.high-water-mark.")
    private int highWaterMark = 100_000;
    @Metadata(label = "kafka", defaultValue = "localhost:9092", description = "Kafka bootstrap servers. Property "
                                                                              + "backplane.bus.kafka.brokers.")
    private String kafkaBrokers = "localhost:9092";
    @Metadata(label = "kafka", defaultValue = "backplane-events", description = "The one topic all events go to. "
                                                                                + "Property backplane.bus.kafka.topic.")
    private String kafkaTopic = "backplane-events";
    @Metadata(label = "kafka", defaultValue = "backplane", description = "Consumer group: instances in one group "
                                                                         + "share the work. Property "
                                                                         + "backplane.bus.kafka.group-id.")
    private String kafkaGroupId = "backplane";
    @Metadata(label = "kafka", defaultValue = "latest", enums = "latest,earliest",
              description = "Where a new consumer group starts: latest (only new events; old alerts are not "
                            + "acted on again) or earliest. Property backplane.bus.kafka.auto-offset-reset.")
    private String kafkaAutoOffsetReset = "latest";

    @Metadata(label = "kafka", defaultValue = "6", description = "Partitions of the topic when Backplane creates it "
                                                                 + "(at most this many instances share the work). "
                                                                 + "Property backplane.bus.kafka.partitions.")
    private int kafkaPartitions = 6;
    @Metadata(label = "kafka", description = "Extra Kafka client settings (TLS, SASL, ...) for the producer, the "
                                             + "consumer and the admin client. Properties "
                                             + "backplane.bus.kafka.client.<kafka setting>, e.g. "
                                             + "backplane.bus.kafka.client.security.protocol=SSL.")
    private Map<String, Object> kafkaClientProperties = new java.util.HashMap<>();

    private Bus bus;
    private java.util.concurrent.ExecutorService completions;
    private final BusHealthCheck healthCheck = new BusHealthCheck(this);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BusEndpoint endpoint = new BusEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        applyProperty("backplane.bus.transport", v -> transport = v);
        applyProperty("backplane.bus.max-event-bytes", v -> maxEventBytes = Integer.parseInt(v));
        applyProperty("backplane.bus.connect-timeout", v -> connectTimeout = Long.parseLong(v));
        applyProperty("backplane.bus.zeromq.host", v -> host = v);
        applyProperty("backplane.bus.zeromq.publish-port", v -> publishPort = Integer.parseInt(v));
        applyProperty("backplane.bus.zeromq.subscribe-port", v -> subscribePort = Integer.parseInt(v));
        applyProperty("backplane.bus.zeromq.embedded-hub", v -> embeddedHub = Boolean.parseBoolean(v));
        applyProperty("backplane.bus.zeromq.high-water-mark", v -> highWaterMark = Integer.parseInt(v));
        applyProperty("backplane.bus.kafka.brokers", v -> kafkaBrokers = v);
        applyProperty("backplane.bus.kafka.topic", v -> kafkaTopic = v);
        applyProperty("backplane.bus.kafka.group-id", v -> kafkaGroupId = v);
        applyProperty("backplane.bus.kafka.auto-offset-reset", v -> kafkaAutoOffsetReset = v);
        applyProperty("backplane.bus.kafka.partitions", v -> kafkaPartitions = Integer.parseInt(v));
        String clientPrefix = "backplane.bus.kafka.client.";
        getCamelContext().getPropertiesComponent().loadProperties(k -> k.startsWith(clientPrefix))
                .forEach((k, v) -> kafkaClientProperties.put(k.toString().substring(clientPrefix.length()), v));
    }

    private void applyProperty(String key, Consumer<String> setter) {
        PropertiesComponent properties = getCamelContext().getPropertiesComponent();
        properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                setter.accept(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("property " + key + " must be a number, got '" + v + "'", e);
            }
        });
    }

    /** The process's bus, started on first use. */
    synchronized Bus bus() {
        if (bus == null) {
            BusTransport t;
            switch (transport) {
                case "zeromq":
                    t = new ZeroMQTransport(this);
                    break;
                case "kafka":
                    t = new KafkaTransport(this);
                    break;
                default:
                    throw new IllegalArgumentException("unknown bus transport '" + transport
                                                       + "': use zeromq or kafka (backplane.bus.transport)");
            }
            Bus b = new Bus(t, new EventCodec(maxEventBytes));
            try {
                b.start();
            } catch (RuntimeException e) {
                t.stop();
                throw e;
            } catch (Exception e) {
                t.stop();
                throw new IllegalStateException("cannot start the bus: " + e.getMessage(), e);
            }
            bus = b;
        }
        return bus;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        bus();
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        if (registry != null) {
            registry.register(healthCheck);
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        if (registry != null) {
            registry.unregister(healthCheck);
        }
        if (bus != null) {
            bus.stop();
            bus = null;
        }
        if (completions != null) {
            getCamelContext().getExecutorServiceManager().shutdown(completions);
            completions = null;
        }
        super.doStop();
    }

    /**
     * Where a route continues after an asynchronous publish (Kafka) completes: not on the Kafka client's I/O thread,
     * which a slow step would stall for every producer of the process.
     */
    synchronized java.util.concurrent.ExecutorService completions() {
        if (completions == null) {
            completions = getCamelContext().getExecutorServiceManager().newDefaultThreadPool(this, "BusCompletion");
        }
        return completions;
    }

    /** The running bus, or null (does not start one). */
    synchronized Bus currentBus() {
        return bus;
    }

    /** Events received from the transport, dispatched to routes, and dropped as invalid, for health and tests. */
    public long[] counters() {
        Bus b = bus;
        return b == null ? new long[3] : new long[] { b.received.sum(), b.dispatched.sum(), b.invalid.sum() };
    }

    public String getTransport() {
        return transport;
    }

    public void setTransport(String transport) {
        this.transport = transport;
    }

    public int getMaxEventBytes() {
        return maxEventBytes;
    }

    public void setMaxEventBytes(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPublishPort() {
        return publishPort;
    }

    public void setPublishPort(int publishPort) {
        this.publishPort = publishPort;
    }

    public int getSubscribePort() {
        return subscribePort;
    }

    public void setSubscribePort(int subscribePort) {
        this.subscribePort = subscribePort;
    }

    public boolean isEmbeddedHub() {
        return embeddedHub;
    }

    public void setEmbeddedHub(boolean embeddedHub) {
        this.embeddedHub = embeddedHub;
    }

    public int getHighWaterMark() {
        return highWaterMark;
    }

    public void setHighWaterMark(int highWaterMark) {
        this.highWaterMark = highWaterMark;
    }

    public String getKafkaBrokers() {
        return kafkaBrokers;
    }

    public void setKafkaBrokers(String kafkaBrokers) {
        this.kafkaBrokers = kafkaBrokers;
    }

    public String getKafkaTopic() {
        return kafkaTopic;
    }

    public void setKafkaTopic(String kafkaTopic) {
        this.kafkaTopic = kafkaTopic;
    }

    public String getKafkaGroupId() {
        return kafkaGroupId;
    }

    public void setKafkaGroupId(String kafkaGroupId) {
        this.kafkaGroupId = kafkaGroupId;
    }

    public int getKafkaPartitions() {
        return kafkaPartitions;
    }

    public void setKafkaPartitions(int kafkaPartitions) {
        this.kafkaPartitions = kafkaPartitions;
    }

    public Map<String, Object> getKafkaClientProperties() {
        return kafkaClientProperties;
    }

    public void setKafkaClientProperties(Map<String, Object> kafkaClientProperties) {
        this.kafkaClientProperties = kafkaClientProperties;
    }

    public String getKafkaAutoOffsetReset() {
        return kafkaAutoOffsetReset;
    }

    public void setKafkaAutoOffsetReset(String kafkaAutoOffsetReset) {
        this.kafkaAutoOffsetReset = kafkaAutoOffsetReset;
    }
}
