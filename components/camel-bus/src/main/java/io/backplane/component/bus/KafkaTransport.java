package io.backplane.component.bus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.backplane.core.Event;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka transport. Topic layout: every event goes to one topic (default {@code backplane-events}) as a
 * CloudEvents structured-mode JSON value, keyed by its subject so one resource's events stay in order on one
 * partition, with the tag also in the record header {@code backplane-tag} so that events no route wants are skipped
 * without parsing. All instances with the same group id share the partitions (each event is handled once).
 * <p>
 * One consumer thread and one (thread-safe) producer serve every bus route of the process.
 */
final class KafkaTransport implements BusTransport {

    static final String TAG_HEADER = "backplane-tag";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransport.class);

    private final BusComponent config;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private volatile boolean running;

    KafkaTransport(BusComponent config) {
        this.config = config;
    }

    @Override
    public void start(Listener listener) throws InterruptedException {
        createTopicIfMissing();
        Properties p = clientProperties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getKafkaBrokers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.getConnectTimeout());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1024 * 1024, config.getMaxEventBytes() + 4096));
        producer = new KafkaProducer<>(p);

        Properties c = clientProperties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getKafkaBrokers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.getKafkaGroupId());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.getKafkaAutoOffsetReset());
        c.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000);
        consumer = new KafkaConsumer<>(c);
        running = true;
        thread = new Thread(() -> loop(listener), "backplane-bus-kafka");
        thread.setDaemon(true);
        thread.start();
        // Wait until the group has given us our partitions (none is a valid answer when there are more instances
        // than partitions), so that events published once start() returns are seen. If the broker is not there,
        // say so clearly and go on: the consumer keeps retrying in the background, and the health check says DOWN.
        if (!assigned.await(config.getConnectTimeout(), TimeUnit.MILLISECONDS)) {
            LOG.error("Kafka bus: not joined to group '{}' on topic '{}' within {} ms (brokers {}): is Kafka up? "
                      + "Backplane keeps retrying in the background", config.getKafkaGroupId(),
                    config.getKafkaTopic(), config.getConnectTimeout(), config.getKafkaBrokers());
        }
    }

    /** Extra client settings (TLS, SASL, ...) given as backplane.bus.kafka.client.* properties. */
    private Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(config.getKafkaClientProperties());
        return p;
    }

    /**
     * Creates the topic with {@code kafkaPartitions} partitions when it does not exist, so the consumer group gets
     * partitions at once (a topic auto-created by a first send would only be seen after a metadata refresh).
     */
    private void createTopicIfMissing() {
        Properties a = clientProperties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.getKafkaBrokers());
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.getConnectTimeout());
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.getConnectTimeout());
        try (Admin admin = Admin.create(a)) {
            admin.createTopics(List.of(new NewTopic(config.getKafkaTopic(), Optional.of(config.getKafkaPartitions()),
                    Optional.empty()))).all().get(config.getConnectTimeout(), TimeUnit.MILLISECONDS);
            LOG.info("Kafka bus: created topic '{}' with {} partitions", config.getKafkaTopic(),
                    config.getKafkaPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("Kafka bus: cannot create topic '{}': {}", config.getKafkaTopic(), e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            LOG.warn("Kafka bus: no answer from {} within {} ms while checking topic '{}'", config.getKafkaBrokers(),
                    config.getConnectTimeout(), config.getKafkaTopic());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop(Listener listener) {
        try {
            consumer.subscribe(List.of(config.getKafkaTopic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // resolve positions now (auto.offset.reset), so "ready" means "will see what comes next"
                    partitions.forEach(consumer::position);
                    if (partitions.isEmpty()) {
                        LOG.info("Kafka bus: joined group '{}' with no partitions of '{}' (more instances than "
                                 + "partitions): this instance receives nothing until a rebalance",
                                config.getKafkaGroupId(), config.getKafkaTopic());
                    }
                    assigned.countDown();
                }
            });
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    Header tag = record.headers().lastHeader(TAG_HEADER);
                    if (tag == null || record.value() == null) {
                        LOG.warn("skipped record at {}-{}@{}: no {} header or no value", record.topic(),
                                record.partition(), record.offset(), TAG_HEADER);
                        continue;
                    }
                    listener.onMessage(new String(tag.value(), StandardCharsets.UTF_8), record.value());
                }
            }
        } catch (WakeupException e) {
            // stop() woke us
        } catch (RuntimeException e) {
            LOG.error("Kafka bus consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public CompletableFuture<Void> publish(Event event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.getKafkaTopic(), event.subject(),
                event.toJson());
        record.headers().add(TAG_HEADER, event.type().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record, (metadata, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void subscribe(String prefix) {
        // one topic: all tags arrive, the bus filters
    }

    @Override
    public void unsubscribe(String prefix) {
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public boolean isReady() {
        return running && assigned.getCount() == 0;
    }

    @Override
    public String describe() {
        return "kafka topic " + config.getKafkaTopic() + " at " + config.getKafkaBrokers() + " (group "
               + config.getKafkaGroupId() + ")";
    }
}
