package dev.fanout.app;

import static org.awaitility.Awaitility.await;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import dev.fanout.config.TopicInstaller;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Fanout on a real broker and registry for integration tests: its own topic prefix and application id,
 * producers for subscriptions, events and workers' reports, and exact reads of what it wrote
 * (read_committed), once it has processed everything given to it.
 *
 * <p>Its timers are small ({@code fanout.timers.interval.ms} 50 ms, commits every 100 ms) and its
 * consumers' session timeout is the broker's least (6 s), so a restarted or killed instance's partitions
 * are handed over in seconds, not in the default 45 s.
 */
final class Pipeline implements AutoCloseable {

    /** How long a broker test waits for anything: generous, the machine is slow and shared. */
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrapServers;
    private final Map<String, Object> settings = new HashMap<>();
    private final FanoutTopics topics;
    private final KafkaProducer<String, byte[]> producer;
    private FanoutApp app;

    Pipeline(String bootstrapServers, String registryUrl, Path stateDir) throws Exception {
        this(bootstrapServers, registryUrl, stateDir, Map.of());
    }

    /** @param overrides settings on top of the test defaults, such as {@code processing.guarantee} */
    Pipeline(String bootstrapServers, String registryUrl, Path stateDir, Map<String, ?> overrides) throws Exception {
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
        settings.put(FanoutConfig.TIMERS_INTERVAL_MS, 50L);
        settings.put(FanoutConfig.PROGRESS_INTERVAL_MS, 200L);
        settings.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000);
        settings.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
        settings.putAll(overrides);
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

    /** Starts the topology on another state directory: all its state comes back from the changelogs. */
    void startOn(Path stateDir) throws Exception {
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        start();
    }

    /**
     * Stops the topology and waits until its threads have ended. {@link FanoutApp#close} returns after its
     * timeout while a slow shutdown goes on (a loaded CI machine), and a restart on the same state directory
     * would then find the directory still locked, or a later test find this one's threads still running.
     */
    void stop() {
        FanoutApp closing = app;
        app = null;
        closing.close();
        await().atMost(PATIENCE).pollInterval(POLL).until(() -> closing.state() == KafkaStreams.State.NOT_RUNNING
                || closing.state() == KafkaStreams.State.ERROR);
    }

    /** The settings the topology runs with (also those a child JVM is started with). */
    Map<String, Object> settings() {
        return Map.copyOf(settings);
    }

    void subscribe(Subscription subscription) throws Exception {
        send(topics.subscriptions(), subscription.getId(), subscription);
    }

    void emit(ArtifactEvent event) throws Exception {
        send(topics.artifactEvents(), event.getArtifact(), event);
    }

    /** A request to cancel a tree, keyed by its id, as the query API and {@code fanout cancel} write it. */
    void cancel(String treeId, String reason) throws Exception {
        send(topics.treeCancel(), treeId, TreeCancel.newBuilder().setTreeId(treeId).setReason(reason)
                .setRequestedBy("tests").setRequestedAt(Instant.now()).build());
    }

    /** The repository's limits as {@code fanout subscriptions sync} publishes them. */
    void limit(String repo, int maxInFlight) throws Exception {
        send(topics.repoLimits(), repo, RepoLimits.newBuilder().setRepo(repo).setMaxInFlight(maxInFlight).build());
    }

    /** How many grants of the admission stage for the tree's runs are committed. */
    long admissionGrants(String treeId) {
        return readAll(topics.admissionGrants().name()).stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(treeId))
                .count();
    }

    /** A worker's report, keyed by run id; returns the record's timestamp (when it was sent). */
    long report(RunStatus status) throws Exception {
        return send(topics.runStatus(), status.getRunId(), status).timestamp();
    }

    /** Sends raw bytes; returns where they were written. */
    RecordMetadata send(String topic, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** The event as a producer of the contract writes it. */
    byte[] serialize(ArtifactEvent event) {
        return topics.artifactEvents().valueSerde().serializer().serialize(topics.artifactEvents().name(), event);
    }

    /** Sends an event keyed by its artifact; returns where it was written. */
    RecordMetadata emitRecorded(ArtifactEvent event) throws Exception {
        return send(topics.artifactEvents(), event.getArtifact(), event);
    }

    private <V> RecordMetadata send(Topic<String, V> topic, String key, V value) throws Exception {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        return producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
    }

    FanoutTopics topics() {
        return topics;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String applicationId() {
        return (String) settings.get(FanoutConfig.APPLICATION_ID);
    }

    /** Every committed trigger, from the beginning. */
    List<Trigger> triggers() {
        return values(topics.triggers());
    }

    /** The committed triggers of one tree, in the order of their partition (one repo: the order written). */
    List<Trigger> triggers(String treeId) {
        return triggers().stream().filter(t -> t.getTreeId().equals(treeId)).toList();
    }

    /** The committed RunCancellations of one tree, with their keys (the repository). */
    List<ConsumerRecord<String, RunCancellation>> runCancellations(String treeId) {
        return records(topics.runCancellations()).stream().filter(r -> r.value().getTreeId().equals(treeId)).toList();
    }

    /** Every committed TreeDone, from the beginning. */
    List<TreeDone> treeDone() {
        return values(topics.treeDone());
    }

    List<TreeDone> treeDone(String treeId) {
        return treeDone().stream().filter(done -> done.getTreeId().equals(treeId)).toList();
    }

    /** The committed FanOutDone records of one tree, with their keys. */
    List<ConsumerRecord<String, FanOutDone>> fanOutDone(String treeId) {
        return records(topics.fanOutDone()).stream().filter(r -> r.value().getTreeId().equals(treeId)).toList();
    }

    List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return readAll(topics.deadLetters().name());
    }

    /** Every committed record of a contract topic, decoded, with its key and timestamp. */
    <V> List<ConsumerRecord<String, V>> records(Topic<String, V> topic) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> raw : readAll(topic.name())) {
            String key = topic.keySerde().deserializer().deserialize(raw.topic(), raw.key());
            V value = topic.valueSerde().deserializer().deserialize(raw.topic(), raw.value());
            records.add(new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(),
                    raw.timestampType(), raw.serializedKeySize(), raw.serializedValueSize(), key, value,
                    raw.headers(), raw.leaderEpoch()));
        }
        return records;
    }

    private <V> List<V> values(Topic<String, V> topic) {
        return records(topic).stream().map(ConsumerRecord::value).toList();
    }

    /** True once the application has processed, and committed, everything given to it. */
    boolean isCaughtUp() throws Exception {
        return CaughtUp.isCaughtUp(bootstrapServers, applicationId(), topics);
    }

    /** Waits until the application has processed, and committed, everything given to it so far. */
    void awaitCaughtUp() {
        await().atMost(PATIENCE).pollInterval(POLL).until(this::isCaughtUp);
    }

    /** Waits until at least {@code count} committed triggers match, and returns those that do. */
    List<Trigger> awaitTriggers(Predicate<Trigger> which, int count) {
        return await().atMost(PATIENCE).pollInterval(POLL)
                .until(() -> triggers().stream().filter(which).toList(), found -> found.size() >= count);
    }

    /** Waits until the fan-out's children number at least {@code count} committed triggers, and returns them. */
    List<Trigger> awaitFanOutTriggers(String fanOutId, int count) {
        return awaitTriggers(t -> t.getFanOutId().equals(fanOutId), count);
    }

    /** Waits for the fan-out's FanOutDone and returns it with its key (the caller checks there is only one). */
    ConsumerRecord<String, FanOutDone> awaitFanOutDone(String treeId, String fanOutId) {
        return await().atMost(PATIENCE).pollInterval(POLL)
                .until(() -> fanOutDone(treeId).stream().filter(r -> r.value().getFanOutId().equals(fanOutId)).toList(),
                        done -> !done.isEmpty())
                .get(0);
    }

    /** Waits for the tree's TreeDone and returns it (the caller checks there is only one). */
    TreeDone awaitTreeDone(String treeId) {
        return await().atMost(PATIENCE).pollInterval(POLL).until(() -> treeDone(treeId), done -> !done.isEmpty())
                .get(0);
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return CaughtUp.readAll(bootstrapServers, topic);
    }

    @Override
    public void close() {
        if (app != null) {
            stop();
        }
        producer.close();
    }
}
