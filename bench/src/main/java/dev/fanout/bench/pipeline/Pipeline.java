package dev.fanout.bench.pipeline;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import dev.fanout.bench.BenchContext;
import dev.fanout.bench.BenchException;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopicInstaller;
import dev.fanout.config.TopologyNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One run's Fanout: fresh contract topics under a prefix of their own, the topology in its own JVM
 * ({@link TopologyProcess}) with the production configuration plus the scenario's overrides, and producers
 * for subscriptions and events. Closing it stops the topology and deletes its topics and state, so that
 * one run's gigabytes do not slow the next.
 */
public final class Pipeline implements AutoCloseable {

    /** The topology's heap cap: the target of the width scenario, and enough for every scenario. */
    public static final int HEAP_MIB = 512;
    static final int PARTITIONS = 3;
    /** Room in a record for what is not the event's payload: its other fields, key, headers, batch overhead. */
    private static final int RECORD_HEADROOM = 64 * 1024;
    /** Environment variable with settings that replace the topology's, for experiments. */
    public static final String SETTINGS_ENV = "FANOUT_BENCH_TOPOLOGY_SETTINGS";

    private final String bootstrapServers;
    private final String applicationId;
    private final FanoutTopics topics;
    private final Path dir;
    private final Map<String, Object> clientSettings;
    private TopologyProcess topology;
    private KafkaProducer<String, ArtifactEvent> events;
    private KafkaProducer<String, Subscription> subscriptions;
    private TopologyMain.Stats finalStats;
    private final boolean transactional;
    private java.util.concurrent.atomic.LongAdder childCpuNanos;
    /** The first event the producer could not send, set by its callback. */
    private volatile BenchException eventNotSent;

    private Pipeline(String bootstrapServers, String applicationId, FanoutTopics topics, Path dir,
                     Map<String, Object> clientSettings, boolean transactional) {
        this.transactional = transactional;
        this.bootstrapServers = bootstrapServers;
        this.applicationId = applicationId;
        this.topics = topics;
        this.dir = dir;
        this.clientSettings = clientSettings;
    }

    /**
     * Settings for a topology that reads events with {@code foreach} lists of up to {@code payloadBytes} of JSON.
     * Fanout takes an event of up to half its record budget (docs/trees.md), 491,520 bytes with Kafka's 1 MiB
     * defaults, so the Streams producer's request and the internal topics' records may be twice the largest
     * event and more: 2 MiB for a list of 100,000 items (about 590 KB), 16 MiB for one of 1,000,000 (6.9 MB).
     * The run's events topic and the bench's producer of events take the same ({@link #start}).
     */
    static Map<String, Object> forLists(int payloadBytes) {
        int limit = 2 * 1024 * 1024;
        while (limit - RECORD_HEADROOM < 2L * (payloadBytes + RECORD_HEADROOM)) {
            limit *= 2;
        }
        return Map.of(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), limit,
                StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), limit);
    }

    /**
     * Creates the topics and starts the topology.
     *
     * @param name      unique within the run, such as {@code fan-out-subscriptions-1000}
     * @param overrides settings that differ from the production configuration (the guarantee, the width cap)
     */
    public static Pipeline start(BenchContext context, String name, Map<String, Object> overrides) {
        Objects.requireNonNull(context, "context");
        String id = ("bench-" + name + "-" + context.runId()).replaceAll("[^a-zA-Z0-9-]", "-");
        Map<String, Object> clients = new HashMap<>();
        clients.put("bootstrap.servers", context.bootstrapServers());
        clients.put("schema.registry.url", context.requireRegistryUrl());
        clients.put(FanoutConfig.TOPIC_PREFIX, id + ".");
        FanoutTopics topics = FanoutTopics.from(clients);
        Path dir;
        try {
            dir = Files.createTempDirectory("fanout-" + id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the topology's state: " + e.getMessage(), e);
        }
        boolean transactional = !StreamsConfig.AT_LEAST_ONCE.equals(overrides.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        Pipeline pipeline = new Pipeline(context.bootstrapServers(), id, topics, dir, clients, transactional);
        pipeline.childCpuNanos = context.childCpuNanos();
        try {
            pipeline.createTopics();
            Object recordLimit = overrides.get(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
            Map<String, Object> eventsProducer = Clients.producer(context.bootstrapServers(), id + "-events");
            if (recordLimit != null) {
                pipeline.allowEventsOf(recordLimit.toString());
                eventsProducer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, recordLimit);
            }
            Map<String, Object> settings = new HashMap<>(clients);
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
            settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
            settings.put(FanoutConfig.HTTP_PORT, -1); // no query API: the bench measures the pipeline, and 8080 may be taken
            settings.putAll(overrides);
            settings.putAll(settingsFromEnvironment());
            pipeline.topology = TopologyProcess.start(settings, HEAP_MIB, dir);
            pipeline.events = new KafkaProducer<>(eventsProducer,
                    new StringSerializer(), topics.artifactEvents().valueSerde().serializer());
            pipeline.subscriptions = new KafkaProducer<>(Clients.producer(context.bootstrapServers(), id + "-subscriptions"),
                    new StringSerializer(), topics.subscriptions().valueSerde().serializer());
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /**
     * Settings of the topology's own from {@value #SETTINGS_ENV} ({@code key=value} pairs separated by
     * commas), on top of everything else: for trying a setting against the production configuration,
     * such as {@code num.stream.threads=2}.
     */
    static Map<String, Object> settingsFromEnvironment() {
        return parseSettings(System.getenv(SETTINGS_ENV));
    }

    static Map<String, Object> parseSettings(String text) {
        Map<String, Object> settings = new HashMap<>();
        if (text == null || text.isBlank()) {
            return settings;
        }
        for (String pair : text.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(SETTINGS_ENV + " holds '" + pair.trim() + "', which is not key=value; "
                        + "write settings as key=value pairs separated by commas, such as num.stream.threads=2");
            }
            settings.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return settings;
    }

    public FanoutTopics topics() {
        return topics;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Settings that reach this run's registry and topics, for the bench's own clients. */
    public Map<String, Object> clientSettings() {
        return clientSettings;
    }

    /** Publishes the subscriptions and waits until the matcher has indexed every one of them. */
    public void subscribe(List<Subscription> list, Duration timeout) {
        for (Subscription s : list) {
            subscriptions.send(new ProducerRecord<>(topics.subscriptions().name(), s.getId(), s));
        }
        subscriptions.flush();
        awaitConsumed(List.of(topics.subscriptions().name(),
                applicationId + "-" + TopologyNames.MATCHER_SUBSCRIPTIONS_BY_ARTIFACT + "-repartition"), timeout);
    }

    /** Sends an event (keyed by its artifact, as the contract says); {@link #flushEvents} to send at once. */
    public void emit(ArtifactEvent event) {
        events.send(new ProducerRecord<>(topics.artifactEvents().name(), event.getArtifact(), event), (sent, e) -> {
            if (e != null && eventNotSent == null) {
                eventNotSent = new BenchException("event " + event.getEventId() + " could not be sent to "
                        + topics.artifactEvents().name() + ": " + e, e);
            }
        });
    }

    /** Waits until every event emitted is sent; one that could not be is an error, not a tree to wait for. */
    public void flushEvents() {
        events.flush();
        if (eventNotSent != null) {
            throw eventNotSent;
        }
    }

    /** What the topology's JVM used so far. */
    public TopologyMain.Stats topologyStats() {
        return topology.stats();
    }

    /** Stops the topology and returns what its JVM used in all; {@link #close} still cleans up. */
    public TopologyMain.Stats stopTopology() {
        if (finalStats == null) {
            finalStats = topology.stop();
            childCpuNanos.add(finalStats.cpuNanos());
        }
        return finalStats;
    }

    /**
     * Waits until the topology's group has committed an offset at the end of every partition of
     * {@code topicNames}. The end of a transactional topic is past its last commit marker, so a committed
     * offset one short of it counts as the end too when that partition was written transactionally.
     */
    private void awaitConsumed(List<String> topicNames, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            while (true) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (String t : topicNames) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        latest.put(new TopicPartition(t, p), OffsetSpec.latest());
                    }
                }
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
                boolean done = true;
                for (var end : ends.entrySet()) {
                    long endOffset = end.getValue().offset();
                    OffsetAndMetadata c = committed.get(end.getKey());
                    long at = c == null ? 0 : c.offset();
                    // Under exactly-once, repartition topics are written in transactions: the last marker takes one offset.
                    boolean marker = transactional && end.getKey().topic().endsWith("-repartition") && endOffset > 0;
                    if (at < endOffset - (marker ? 1 : 0)) {
                        done = false;
                    }
                }
                if (done) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new BenchException("the topology did not consume " + topicNames + " within " + timeout
                            + " (ends " + ends + ", committed " + committed + ")", null);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while waiting for the topology", e);
        } catch (ExecutionException e) {
            throw new BenchException("cannot read the topology's offsets: " + e.getCause().getMessage(), e);
        }
    }

    private void createTopics() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            new TopicInstaller(admin).install(topics.specs(), PARTITIONS, (short) 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new BenchException("cannot create the run's topics: " + e.getCause().getMessage(), e);
        }
    }

    /** Raises the events topic's record limit to what the topology's topics take, for events with long lists. */
    private void allowEventsOf(String maxMessageBytes) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, topics.artifactEvents().name());
        AlterConfigOp set = new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes),
                AlterConfigOp.OpType.SET);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.incrementalAlterConfigs(Map.of(topic, List.of(set))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while configuring " + topic.name(), e);
        } catch (ExecutionException e) {
            throw new BenchException("cannot raise " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + " of " + topic.name()
                    + " to " + maxMessageBytes + ": " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (events != null) {
            events.close(Duration.ofSeconds(10));
        }
        if (subscriptions != null) {
            subscriptions.close(Duration.ofSeconds(10));
        }
        if (topology != null) {
            if (finalStats == null) {
                try {
                    stopTopology();
                } catch (RuntimeException e) {
                    // Closing after a failure: the process is ended below either way.
                }
            }
            topology.close();
        }
        deleteTopics();
        deleteDirectory(dir.resolve("state"));
    }

    private void deleteTopics() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<String> mine = new ArrayList<>();
            for (String t : admin.listTopics().names().get()) {
                if (t.startsWith(applicationId + ".") || t.startsWith(applicationId + "-")) {
                    mine.add(t);
                }
            }
            admin.deleteTopics(mine).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new BenchException("cannot delete the run's topics: " + e.getCause().getMessage(), e);
        }
    }

    /** Deletes the topology's state; its settings and logs stay in the run's temporary directory. */
    private static void deleteDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the topology's state in " + dir + " could not be deleted: " + e.getMessage(), e);
        }
    }
}
