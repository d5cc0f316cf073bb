package dev.fanout.app;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.TreeProgress;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.Trigger;
import dev.fanout.config.AvroSerdes;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production topology ({@link FanoutTopology#build}) and Streams settings ({@link StreamsSettings})
 * in a {@link TopologyTestDriver}, with an in-memory Schema Registry shared by every serde.
 */
public final class FanoutDriver implements AutoCloseable {

    public static final String PREFIX = "fanout.";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final FanoutTopics topics;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Subscription> subscriptions;
    private final TestInputTopic<String, ArtifactEvent> events;
    private final TestInputTopic<String, byte[]> rawEvents;
    private final TestOutputTopic<String, Trigger> triggers;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestInputTopic<String, RunStatus> statuses;
    private final TestOutputTopic<String, FanOutDone> fanOutDone;
    private final TestOutputTopic<String, TreeDone> treeDone;
    private final TestOutputTopic<String, TreeProgress> treeProgress;
    private final TestInputTopic<String, TreeCancel> cancels;
    private final TestOutputTopic<String, RunCancellation> runCancellations;
    private final TestInputTopic<String, RepoLimits> repoLimits;
    private Instant now = Samples.PRODUCED_AT;

    public FanoutDriver(Path stateDir) {
        this(stateDir, Map.of());
    }

    /** @param overrides settings on top of the defaults, such as {@code fanout.max.width} */
    public FanoutDriver(Path stateDir, Map<String, ?> overrides) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put("schema.registry.url", "http://in-memory:8081");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.putAll(overrides);
        FanoutConfig config = new FanoutConfig(settings);
        topics = new FanoutTopics(config.topicPrefix(), new AvroSerdes(settings, registry));
        StreamsBuilder builder = new StreamsBuilder();
        FanoutTopology.build(builder, topics, config);
        Properties properties = StreamsSettings.of(settings);
        // The wall clock starts when the sample events are produced, so deadlines and timers line up with them.
        driver = new TopologyTestDriver(builder.build(properties), properties, now);
        subscriptions = driver.createInputTopic(topics.subscriptions().name(), new StringSerializer(),
                topics.subscriptions().valueSerde().serializer());
        events = driver.createInputTopic(topics.artifactEvents().name(), new StringSerializer(),
                topics.artifactEvents().valueSerde().serializer());
        rawEvents = driver.createInputTopic(topics.artifactEvents().name(), new StringSerializer(),
                new ByteArraySerializer());
        triggers = driver.createOutputTopic(topics.triggers().name(), topics.triggers().keySerde().deserializer(),
                topics.triggers().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), topics.deadLetters().keySerde().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
        statuses = driver.createInputTopic(topics.runStatus().name(), new StringSerializer(),
                topics.runStatus().valueSerde().serializer());
        fanOutDone = driver.createOutputTopic(topics.fanOutDone().name(), topics.fanOutDone().keySerde().deserializer(),
                topics.fanOutDone().valueSerde().deserializer());
        treeDone = driver.createOutputTopic(topics.treeDone().name(), topics.treeDone().keySerde().deserializer(),
                topics.treeDone().valueSerde().deserializer());
        treeProgress = driver.createOutputTopic(topics.treeProgress().name(),
                topics.treeProgress().keySerde().deserializer(), topics.treeProgress().valueSerde().deserializer());
        cancels = driver.createInputTopic(topics.treeCancel().name(), new StringSerializer(),
                topics.treeCancel().valueSerde().serializer());
        runCancellations = driver.createOutputTopic(topics.runCancellations().name(),
                topics.runCancellations().keySerde().deserializer(), topics.runCancellations().valueSerde().deserializer());
        repoLimits = driver.createInputTopic(topics.repoLimits().name(), new StringSerializer(),
                topics.repoLimits().valueSerde().serializer());
    }

    /** The repository's limits as {@code fanout subscriptions sync} publishes them: {@code max_in_flight}. */
    public FanoutDriver limit(String repo, int maxInFlight) {
        repoLimits.pipeInput(repo, RepoLimits.newBuilder().setRepo(repo).setMaxInFlight(maxInFlight).build(), now);
        return this;
    }

    /** The repository declares no limits any more: the tombstone {@code fanout subscriptions sync} writes. */
    public FanoutDriver unlimit(String repo) {
        repoLimits.pipeInput(repo, null, now);
        return this;
    }

    /** A worker's report, keyed by run id and stamped with the driver's current wall-clock time. */
    public FanoutDriver report(RunStatus status) {
        statuses.pipeInput(status.getRunId(), status, now);
        return this;
    }

    /**
     * A worker's report whose record timestamp is {@code recordTime}, whatever the wall clock says: a
     * worker whose clock is skewed, or a report read long after it was written.
     */
    public FanoutDriver reportAt(RunStatus status, Instant recordTime) {
        statuses.pipeInput(status.getRunId(), status, recordTime);
        return this;
    }

    /** A cancel request for the tree, as the query API and {@code fanout cancel} write it. */
    public FanoutDriver cancel(String treeId, String reason) {
        cancels.pipeInput(treeId, TreeCancel.newBuilder().setTreeId(treeId).setReason(reason).setRequestedBy("tests")
                .setRequestedAt(now).build(), now);
        return this;
    }

    /** Every RunCancellation written since the last call. */
    public List<TestRecord<String, RunCancellation>> runCancellations() {
        return runCancellations.readRecordsToList();
    }

    /** Moves the wall clock on, firing the punctuators (timers, progress) that fall due. */
    public FanoutDriver advance(Duration duration) {
        now = now.plus(duration);
        driver.advanceWallClockTime(duration);
        return this;
    }

    /** The driver's wall-clock time. */
    public Instant now() {
        return now;
    }

    /** Every FanOutDone written since the last call. */
    public List<TestRecord<String, FanOutDone>> fanOutDone() {
        return fanOutDone.readRecordsToList();
    }

    /** Every TreeDone written since the last call. */
    public List<TestRecord<String, TreeDone>> treeDone() {
        return treeDone.readRecordsToList();
    }

    /** Every TreeProgress written since the last call. */
    public List<TestRecord<String, TreeProgress>> treeProgress() {
        return treeProgress.readRecordsToList();
    }

    public FanoutDriver subscribe(Subscription subscription) {
        subscriptions.pipeInput(subscription.getId(), subscription);
        return this;
    }

    public FanoutDriver unsubscribe(String id) {
        subscriptions.pipeInput(id, null);
        return this;
    }

    public FanoutDriver emit(ArtifactEvent event) {
        events.pipeInput(event.getArtifact(), event, event.getProducedAt().isBefore(now) ? now : event.getProducedAt());
        return this;
    }

    /**
     * The event with the record timestamp {@code recordTime}, unclamped (unlike {@link #emit}): a producer
     * whose clock is skewed, or an event read from a backlog.
     */
    public FanoutDriver emitAt(ArtifactEvent event, Instant recordTime) {
        events.pipeInput(event.getArtifact(), event, recordTime);
        return this;
    }

    public FanoutDriver emitRaw(String key, byte[] value) {
        rawEvents.pipeInput(key, value);
        return this;
    }

    /** Every trigger written since the last call. */
    public List<Trigger> triggers() {
        return triggers.readValuesToList();
    }

    public List<TestRecord<String, Trigger>> triggerRecords() {
        return triggers.readRecordsToList();
    }

    public List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    public FanoutTopics topics() {
        return topics;
    }

    public InMemorySchemaRegistryClient registry() {
        return registry;
    }

    /** Serialized as the contract's producers would write it. */
    public byte[] serialize(ArtifactEvent event) {
        return topics.artifactEvents().valueSerde().serializer().serialize(topics.artifactEvents().name(), event);
    }

    public static String header(TestRecord<?, ?> record, String name) {
        return header(record.headers(), name);
    }

    public static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
