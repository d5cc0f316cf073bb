package dev.fanout.worker;

import static org.awaitility.Awaitility.await;

import dev.fanout.app.CaughtUp;
import dev.fanout.app.FanoutApp;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import dev.fanout.config.TopicInstaller;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The real pipeline for worker tests: the embedded registry, Fanout's topics under a prefix of their own,
 * and the topology ({@link FanoutApp}) on the shared KRaft broker; plus exact reads of its topics.
 */
final class LivePipeline implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(90);

    private final String bootstrapServers;
    private final EmbeddedSchemaRegistry registry;
    private final Map<String, Object> settings = new HashMap<>();
    private final FanoutTopics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final FanoutApp app;
    private final String prefix;

    LivePipeline(String bootstrapServers, Path stateDir) throws Exception {
        this.bootstrapServers = bootstrapServers;
        String unique = UUID.randomUUID().toString().substring(0, 8);
        this.prefix = "wk-" + unique + ".";
        this.registry = EmbeddedSchemaRegistry.builder().bootstrapServers(bootstrapServers).port(0)
                .topic("_schemas-" + unique).build().start();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put("schema.registry.url", registry.url());
        settings.put(FanoutConfig.TOPIC_PREFIX, prefix);
        settings.put(FanoutConfig.APPLICATION_ID, "fanout-wk-" + unique);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        settings.put(FanoutConfig.HTTP_PORT, 0); // a free port: never 8080, which a running dev stack holds
        topics = FanoutTopics.from(settings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            new TopicInstaller(admin).install(topics.specs(), 3, (short) 1);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
        app = FanoutApp.start(settings);
        app.awaitRunning(Duration.ofSeconds(90));
    }

    /** A worker builder pointed at this pipeline. */
    FanoutWorker.Builder worker(String groupId) {
        return FanoutWorker.builder().bootstrapServers(bootstrapServers).schemaRegistryUrl(registry.url())
                .topicPrefix(prefix).groupId(groupId + "-" + prefix);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String registryUrl() {
        return registry.url();
    }

    String prefix() {
        return prefix;
    }

    FanoutTopics topics() {
        return topics;
    }

    /** Publishes subscriptions and waits until the matcher has indexed them. */
    void subscribe(List<Subscription> subscriptions) throws Exception {
        for (Subscription subscription : subscriptions) {
            send(topics.subscriptions(), subscription.getId(), subscription);
        }
        awaitCaughtUp();
    }

    void emit(ArtifactEvent event) throws Exception {
        send(topics.artifactEvents(), event.getArtifact(), event);
    }

    RecordMetadata sendRaw(String topic, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Writes a run's cancellation to run-cancellations, keyed by its repository as the coordinator does. */
    void cancel(dev.fanout.avro.RunCancellation cancellation) throws Exception {
        send(topics.runCancellations(), cancellation.getRepo(), cancellation);
    }

    void awaitCaughtUp() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> CaughtUp.isCaughtUp(bootstrapServers, (String) settings.get(FanoutConfig.APPLICATION_ID), topics));
    }

    /** The tree's TreeDone, once there is one. */
    TreeDone awaitTreeDone(String treeId) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> treeDone(treeId), Optional::isPresent).orElseThrow();
    }

    Optional<TreeDone> treeDone(String treeId) {
        return read(topics.treeDone()).stream().filter(done -> done.getTreeId().equals(treeId)).findFirst();
    }

    List<Trigger> triggers(String treeId) {
        return read(topics.triggers()).stream().filter(t -> t.getTreeId().equals(treeId)).toList();
    }

    List<RunStatus> statuses(String treeId) {
        return read(topics.runStatus()).stream().filter(s -> s.getTreeId().equals(treeId)).toList();
    }

    List<FanOutDone> fanOutDone(String treeId) {
        return read(topics.fanOutDone()).stream().filter(d -> d.getTreeId().equals(treeId)).toList();
    }

    List<ConsumerRecord<byte[], byte[]>> readRaw(String topic) {
        return CaughtUp.readAll(bootstrapServers, topic);
    }

    private <V> List<V> read(Topic<String, V> topic) {
        return readRaw(topic.name()).stream()
                .map(record -> topic.valueSerde().deserializer().deserialize(record.topic(), record.value())).toList();
    }

    private <V> void send(Topic<String, V> topic, String key, V value) throws Exception {
        sendRaw(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    @Override
    public void close() {
        app.close();
        producer.close();
        registry.close();
    }
}
