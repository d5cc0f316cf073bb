package dev.fanout.app;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopicInstaller;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Fanout on a real broker and registry for integration tests: its own topic prefix and application id,
 * producers for subscriptions and events, and exact reads of what it wrote (read_committed), once it
 * has processed everything given to it.
 */
final class Pipeline implements AutoCloseable {

    private final String bootstrapServers;
    private final Map<String, Object> settings = new HashMap<>();
    private final FanoutTopics topics;
    private final KafkaProducer<String, byte[]> producer;
    private FanoutApp app;

    Pipeline(String bootstrapServers, String registryUrl, Path stateDir) throws Exception {
        this.bootstrapServers = bootstrapServers;
        String unique = UUID.randomUUID().toString().substring(0, 8);
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put("schema.registry.url", registryUrl);
        settings.put(FanoutConfig.TOPIC_PREFIX, "it-" + unique + ".");
        settings.put(FanoutConfig.APPLICATION_ID, "fanout-it-" + unique);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        topics = FanoutTopics.from(settings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            new TopicInstaller(admin).install(topics.specs(), 3, (short) 1);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
    }

    void start() throws Exception {
        app = FanoutApp.start(settings);
        app.awaitRunning(Duration.ofSeconds(60));
    }

    void stop() {
        app.close();
    }

    void subscribe(Subscription subscription) throws Exception {
        send(topics.subscriptions().name(), subscription.getId(),
                topics.subscriptions().valueSerde().serializer().serialize(topics.subscriptions().name(), subscription));
    }

    void emit(ArtifactEvent event) throws Exception {
        send(topics.artifactEvents().name(), event.getArtifact(),
                topics.artifactEvents().valueSerde().serializer().serialize(topics.artifactEvents().name(), event));
    }

    void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    FanoutTopics topics() {
        return topics;
    }

    String applicationId() {
        return (String) settings.get(FanoutConfig.APPLICATION_ID);
    }

    /** Every committed trigger, from the beginning. */
    List<Trigger> triggers() {
        List<Trigger> triggers = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(topics.triggers().name())) {
            triggers.add(topics.triggers().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        }
        return triggers;
    }

    List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return readAll(topics.deadLetters().name());
    }

    /**
     * True when every partition the application reads (inputs and repartition topics) has no committed
     * record past its committed offset: then all it will write for what it was given is committed too.
     * Transaction markers are not records, which is why this reads rather than compares offsets.
     */
    boolean isCaughtUp() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            committed = admin.listConsumerGroupOffsets(applicationId()).partitionsToOffsetAndMetadata().get();
        }
        List<String> read = List.of(topics.subscriptions().name(), topics.artifactEvents().name(),
                applicationId() + "-" + TopologyNames.MATCHER_SUBSCRIPTIONS_BY_ARTIFACT + "-repartition",
                applicationId() + "-" + TopologyNames.MATCHER_PLANS_BY_TREE + "-repartition");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : read) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            // A partition never committed is read from its start (Streams reads from the earliest offset too).
            consumer.seekToBeginning(partitions);
            committed.forEach((partition, offset) -> {
                if (partitions.contains(partition)) {
                    consumer.seek(partition, offset.offset());
                }
            });
            return drain(consumer).isEmpty();
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return drain(consumer);
        }
    }

    /** Polls until the position of every assigned partition reaches its (read_committed) end. */
    private static List<ConsumerRecord<byte[], byte[]>> drain(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        producer.close();
    }
}
