package dev.fanout.app;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopicInstaller;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
        settings.put(FanoutConfig.HTTP_PORT, 0); // the query API on a free port, never the default 8080
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

    /** A worker's report, keyed by run id. */
    void report(RunStatus status) throws Exception {
        send(topics.runStatus().name(), status.getRunId(),
                topics.runStatus().valueSerde().serializer().serialize(topics.runStatus().name(), status));
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

    /** Every committed TreeDone, from the beginning. */
    List<TreeDone> treeDone() {
        List<TreeDone> done = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(topics.treeDone().name())) {
            done.add(topics.treeDone().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        }
        return done;
    }

    List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return readAll(topics.deadLetters().name());
    }

    /** True once the application has processed, and committed, everything given to it. */
    boolean isCaughtUp() throws Exception {
        return CaughtUp.isCaughtUp(bootstrapServers, applicationId(), topics);
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return CaughtUp.readAll(bootstrapServers, topic);
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        producer.close();
    }
}
