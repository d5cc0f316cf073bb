package dev.fanout.cli;

import static org.awaitility.Awaitility.await;

import dev.fanout.app.CaughtUp;
import dev.fanout.app.FanoutApp;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopicInstaller;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Fanout with its query API on a free port, on a real broker and registry, for the tests of the web page
 * and of {@code fanout tree}/{@code fanout watch}: its own topic prefix and application id, producers for
 * subscriptions and events, and exact reads of the triggers and TreeDone records it wrote.
 */
final class LiveFanout implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(120);

    private final String bootstrapServers;
    private final Map<String, Object> settings = new HashMap<>();
    private final FanoutTopics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final EmbeddedSchemaRegistry registry;
    private final FanoutApp app;

    private LiveFanout(String bootstrapServers, Path stateDir) throws Exception {
        this.bootstrapServers = bootstrapServers;
        String unique = UUID.randomUUID().toString().substring(0, 8);
        registry = EmbeddedSchemaRegistry.builder().bootstrapServers(bootstrapServers).port(0)
                .topic("_schemas-" + unique).build().start();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put("schema.registry.url", registry.url());
        settings.put(FanoutConfig.TOPIC_PREFIX, "live-" + unique + ".");
        settings.put(FanoutConfig.APPLICATION_ID, "fanout-live-" + unique);
        settings.put(FanoutConfig.HTTP_HOST, "127.0.0.1");
        settings.put(FanoutConfig.HTTP_PORT, 0);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        settings.put(FanoutConfig.TIMERS_INTERVAL_MS, 50L);
        topics = FanoutTopics.from(settings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            new TopicInstaller(admin).install(topics.specs(), 3, (short) 1);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
        app = FanoutApp.start(settings);
        app.awaitRunning(PATIENCE);
    }

    /** Starts a registry and Fanout with its HTTP API on {@code bootstrapServers}, and waits until it runs. */
    static LiveFanout start(String bootstrapServers, Path stateDir) throws Exception {
        return new LiveFanout(bootstrapServers, stateDir);
    }

    /** The base URL of the query API and the web page, such as {@code http://127.0.0.1:41234}. */
    String apiUrl() {
        return "http://127.0.0.1:" + app.httpPort().orElseThrow();
    }

    FanoutTopics topics() {
        return topics;
    }

    /** Writes a {@code --config} file for the CLI: this Fanout's broker, registry and topic prefix. */
    Path cliConfig(Path dir) throws IOException {
        Path file = dir.resolve("live-" + settings.get(FanoutConfig.APPLICATION_ID) + ".properties");
        Files.writeString(file, "bootstrap.servers=" + bootstrapServers + "\n"
                + "schema.registry.url=" + registry.url() + "\n"
                + FanoutConfig.TOPIC_PREFIX + "=" + settings.get(FanoutConfig.TOPIC_PREFIX) + "\n");
        return file;
    }

    /** Every record of the tree-cancel topic, as (tree id key, value), in the order written. */
    List<Map.Entry<String, TreeCancel>> treeCancels() {
        var deserializer = topics.treeCancel().valueSerde().deserializer();
        return CaughtUp.readAll(bootstrapServers, topics.treeCancel().name()).stream()
                .map(r -> Map.entry(new String(r.key(), StandardCharsets.UTF_8), deserializer.deserialize(r.topic(), r.value())))
                .toList();
    }

    /** Publishes subscriptions, then waits until they are indexed (they apply to later events only). */
    void subscribe(Subscription... subscriptions) throws Exception {
        for (Subscription s : subscriptions) {
            send(topics.subscriptions().name(), s.getId(),
                    topics.subscriptions().valueSerde().serializer().serialize(topics.subscriptions().name(), s));
        }
        awaitCaughtUp();
    }

    void emit(ArtifactEvent event) throws Exception {
        send(topics.artifactEvents().name(), event.getArtifact(),
                topics.artifactEvents().valueSerde().serializer().serialize(topics.artifactEvents().name(), event));
    }

    void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    void awaitCaughtUp() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> CaughtUp.isCaughtUp(bootstrapServers, (String) settings.get(FanoutConfig.APPLICATION_ID), topics));
    }

    /** Every committed trigger, from the beginning. */
    List<Trigger> triggers() {
        var deserializer = topics.triggers().valueSerde().deserializer();
        return CaughtUp.readAll(bootstrapServers, topics.triggers().name()).stream()
                .map(r -> deserializer.deserialize(r.topic(), r.value())).toList();
    }

    /** Waits for the triggers that match, until there are {@code count} of them. */
    List<Trigger> awaitTriggers(Predicate<Trigger> which, int count) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> triggers().stream().filter(which).toList(), found -> found.size() >= count);
    }

    Trigger awaitTrigger(Predicate<Trigger> which) {
        return awaitTriggers(which, 1).get(0);
    }

    /** The TreeDone of a tree, once it is written. */
    TreeDone awaitTreeDone(String treeId) {
        var deserializer = topics.treeDone().valueSerde().deserializer();
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() ->
                CaughtUp.readAll(bootstrapServers, topics.treeDone().name()).stream()
                        .map(r -> deserializer.deserialize(r.topic(), r.value()))
                        .filter(d -> d.getTreeId().equals(treeId)).findFirst(), Optional::isPresent).orElseThrow();
    }

    @Override
    public void close() {
        app.close();
        producer.close();
        registry.close();
    }
}
