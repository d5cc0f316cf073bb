package dev.fanout.local;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.TreeDone;
import dev.fanout.cli.ClientSettings;
import dev.fanout.cli.SubscriptionsTopic;
import dev.fanout.cli.subscriptions.SyncReport;
import dev.fanout.cli.subscriptions.TopicSnapshot;
import dev.fanout.cli.tree.Durations;
import dev.fanout.cli.tree.TreeApi;
import dev.fanout.cli.tree.TreeApiException;
import dev.fanout.cli.tree.TreeModel.TreeSummary;
import dev.fanout.cli.tree.TreeText;
import dev.fanout.cli.tree.TreeWatch;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import dev.fanout.subscription.discovery.RepositoryScanner;
import dev.fanout.subscription.discovery.ScanResult;
import dev.fanout.subscription.sync.RemovalScope;
import dev.fanout.subscription.sync.SyncPlanner;
import dev.fanout.worker.FanoutWorker;
import dev.fanout.worker.demo.DemoWorkers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code fanout demo}: the whole of Fanout on one machine, end to end. {@link #start} brings up the local
 * stack ({@link DevStack}) in a directory of its own, publishes the subscriptions of examples/repos as
 * {@code fanout subscriptions sync} does, waits until the matcher has indexed them, and starts the example
 * workers ({@link DemoWorkers}); {@link #run} emits the demo event, shows the tree's progress as
 * {@code fanout watch} does, prints it as {@code fanout tree} does, and reads its {@code TreeDone} to
 * compare it with what the demo is designed to end with.
 */
public final class Demo implements AutoCloseable {

    /**
     * Where and how to run.
     *
     * @param dataDir  the demo's own directory, emptied at start ({@link DemoDataDir})
     * @param repos    the folder of repositories whose tako.yml files are synced (examples/repos)
     * @param patience how long each step (index, tree) may take before the demo gives up
     */
    public record Options(Path dataDir, String host, int kafkaPort, int registryPort, int httpPort, int partitions,
            Path repos, Duration patience) {
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(repos, "repos");
            Objects.requireNonNull(patience, "patience");
        }
    }

    /** A demo tree's TreeDone and how it differs from what it should end with (empty: as expected). */
    public record Result(String treeId, TreeDone done, DemoWorkers.Expected expected, List<String> differences) {
        public boolean asExpected() {
            return differences.isEmpty();
        }
    }

    private static final String WORKER_GROUP = "fanout-demo-workers";
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);

    private final Options options;
    private final PrintWriter out;
    private final DevStack stack;
    private final FanoutTopics topics;
    private FanoutWorker worker;

    private Demo(Options options, PrintWriter out, DevStack stack) {
        this.options = options;
        this.out = out;
        this.stack = stack;
        this.topics = FanoutTopics.from(stack.settings());
    }

    /** Starts the stack, syncs the subscriptions, waits for the index and starts the workers; or stops and throws. */
    public static Demo start(Options options, PrintWriter out) throws InterruptedException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(out, "out");
        if (options.httpPort() < 0) {
            throw new IllegalArgumentException("--http-port " + options.httpPort() + ": the demo needs the query API "
                    + "for its progress and its web page; give a port, or 0 for any free one");
        }
        PortCheck.requireFree(options.host(), List.of(
                new PortCheck.Wanted("Kafka broker", options.kafkaPort(), "--kafka-port"),
                new PortCheck.Wanted("Schema Registry", options.registryPort(), "--registry-port"),
                new PortCheck.Wanted("web page and query API", options.httpPort(), "--http-port")));
        Path dir = DemoDataDir.prepare(options.dataDir());
        out.println("Starting Fanout: a Kafka broker, the Schema Registry, the topology and its web page (data in "
                + dir + ", emptied at every start) ...");
        out.flush();
        long started = System.nanoTime();
        DevStack stack = DevStack.start(new DevStack.Options(dir, options.host(), options.kafkaPort(),
                options.registryPort(), options.partitions(), options.httpPort()));
        Demo demo = new Demo(options, out, stack);
        try {
            demo.printStack(seconds(started));
            // The workers join their group while the subscriptions are synced and indexed.
            demo.startWorkers();
            demo.syncSubscriptions();
            demo.awaitIndex();
            return demo;
        } catch (RuntimeException | InterruptedException e) {
            demo.close();
            throw e;
        }
    }

    /** The web page, such as {@code http://127.0.0.1:8080/}. */
    public String webUrl() {
        return apiUrl() + "/";
    }

    /** The web page of one tree. */
    public String treeUrl(String treeId) {
        return webUrl() + "#/trees/" + treeId;
    }

    private String apiUrl() {
        return stack.apiUrl().orElseThrow(() -> new IllegalStateException("the query API is off"));
    }

    /**
     * Emits the demo event under a fresh id and follows its tree to the end, then does the same with the bad
     * release (compensation, and a dependent skipped); returns what the two TreeDones say.
     */
    public List<Result> run(boolean rewriteProgress) throws InterruptedException {
        Result release = run("demo-", "The demo event", DemoWorkers::demoEvent, DemoWorkers.DESCRIPTION,
                DemoWorkers.EXPECTED, rewriteProgress);
        Result badRelease = run("bad-release-", "Then a bad release", DemoWorkers::badReleaseEvent,
                DemoWorkers.BAD_RELEASE_DESCRIPTION, DemoWorkers.EXPECTED_BAD_RELEASE, rewriteProgress);
        return List.of(release, badRelease);
    }

    private Result run(String idPrefix, String title, java.util.function.Function<String, dev.fanout.avro.ArtifactEvent> event,
            String description, DemoWorkers.Expected expected, boolean rewriteProgress) throws InterruptedException {
        String treeId = idPrefix + LocalTime.now().format(DateTimeFormatter.ofPattern("HHmmss")) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        out.println();
        out.println(title + " (tree " + treeId + "):");
        description.lines().forEach(line -> out.println("  " + line));
        out.println("Watch it live on " + treeUrl(treeId));
        out.println();
        out.flush();
        emit(event.apply(treeId));

        TreeApi api = TreeApi.at(apiUrl());
        awaitKnown(api, treeId);
        Optional<TreeSummary> finished = TreeWatch.follow(api, treeId,
                new TreeWatch.Options(PROGRESS_INTERVAL, options.patience(), rewriteProgress), out);
        if (finished.isEmpty()) {
            throw new IllegalStateException("the demo tree " + treeId + " is still RUNNING after "
                    + options.patience().toSeconds() + " s; look at it on " + treeUrl(treeId));
        }
        out.println();
        TreeText.print(finished.get(), (parent, cursor, limit) -> api.nodes(treeId, parent, cursor, limit),
                new TreeText.Limits(32, 100), out);
        out.println();

        TreeDone done = readTreeDone(treeId);
        Result result = new Result(treeId, done, expected, DemoExpectation.differences(done, expected));
        printSummary(result);
        return result;
    }

    private static String seconds(long startedNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    private void printStack(String took) {
        out.println("Fanout is up (" + took + ")");
        out.printf("  Kafka broker     %s%n", stack.bootstrapServers());
        out.printf("  Schema Registry  %s%n", stack.registryUrl());
        out.printf("  Web page         %s  (query API %s/api/trees)%n", webUrl(), apiUrl());
        out.println();
        out.flush();
    }

    /** What {@code fanout subscriptions sync --repos examples/repos} does, on the demo's fresh topic. */
    private void syncSubscriptions() {
        long started = System.nanoTime();
        ScanResult scan = RepositoryScanner.withDefaults().scan(options.repos());
        SubscriptionsTopic topic = SubscriptionsTopic.of(new ClientSettings(stack.settings()));
        TopicSnapshot current = topic.read();
        SyncReport report = new SyncReport(new SyncPlanner().plan(scan, current.subscriptions(), RemovalScope.WHOLE_ROOT),
                scan.errors(), current.unreadable());
        out.println("Syncing the subscriptions of " + scan.repositories().size() + " repositories under "
                + options.repos() + " into " + topic.name() + ":");
        report.printLines(out);
        if (report.hasProblems()) {
            throw new IllegalStateException(report.problems().size() + " problem(s) in the tako.yml files under "
                    + options.repos() + " (the 'invalid' lines above); the demo needs them all, so fix them or "
                    + "restore examples/repos");
        }
        topic.publish(report.toPublish(), report.toDelete());
        out.println("Published: " + report.counts() + " (" + seconds(started) + ")");
        out.flush();
    }

    /** Subscriptions apply to the events matched after they are indexed (docs/matcher.md). */
    private void awaitIndex() throws InterruptedException {
        long started = System.nanoTime();
        String applicationId = new FanoutConfig(stack.settings()).applicationId();
        try {
            new SubscriptionIndexCatchUp(Map.of("bootstrap.servers", stack.bootstrapServers()), applicationId, topics)
                    .await(options.patience());
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        out.println("The matcher has indexed them (" + seconds(started) + ").");
        out.flush();
    }

    private void startWorkers() {
        long started = System.nanoTime();
        worker = DemoWorkers.register(FanoutWorker.builder()
                        .bootstrapServers(stack.bootstrapServers())
                        .schemaRegistryUrl(stack.registryUrl())
                        .topicPrefix(new FanoutConfig(stack.settings()).topicPrefix())
                        .groupId(WORKER_GROUP)
                        .concurrency(8)
                        .shutdownGracePeriod(Duration.ofSeconds(5)))
                .build()
                .start();
        out.println("The example workers are running: svc-a, acme/deployer, qa-suite, docs-site, svc-b, legacy-app ("
                + seconds(started) + ").");
        out.println();
        out.flush();
    }

    private void emit(ArtifactEvent event) throws InterruptedException {
        Topic<String, ArtifactEvent> topic = topics.artifactEvents();
        try (KafkaProducer<String, ArtifactEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), event.getArtifact(), event)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the demo event to " + topic.name() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The tree appears in the API once the coordinator has planned the event's children. */
    private void awaitKnown(TreeApi api, String treeId) throws InterruptedException {
        long deadline = System.nanoTime() + options.patience().toNanos();
        while (true) {
            try {
                api.tree(treeId);
                return;
            } catch (TreeApiException e) {
                if (e.kind() != TreeApiException.Kind.NOT_FOUND || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    /** The tree's TreeDone, read_committed from the tree-done topic (it commits with the coordinator's state). */
    private TreeDone readTreeDone(String treeId) {
        Topic<String, TreeDone> topic = topics.treeDone();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + options.patience().toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (treeId.equals(record.key())) {
                        return topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
                    }
                }
            }
        }
        throw new IllegalStateException("no TreeDone for " + treeId + " on " + topic.name() + " within "
                + options.patience().toSeconds() + " s, although the API says the tree is done");
    }

    private void printSummary(Result result) {
        TreeDone done = result.done();
        var c = done.getCounts();
        out.println("TreeDone of " + result.treeId() + " (read from " + topics.treeDone().name() + ", read_committed):");
        out.println("  " + done.getStatus() + " in "
                + Durations.format(done.getFinishedAt().toEpochMilli() - done.getStartedAt().toEpochMilli()) + ": "
                + c.getTotal() + " children, " + c.getSucceeded() + " succeeded, " + c.getFailed() + " failed, "
                + c.getTimedOut() + " timed out, " + c.getSkipped() + " skipped, " + c.getRetries()
                + (c.getRetries() == 1 ? " retry" : " retries")
                + (c.getCompensated() + c.getCompensationFailed() > 0 ? ", " + c.getCompensated() + " compensated, "
                        + c.getCompensationFailed() + " compensation failed" : ""));
        if (result.asExpected()) {
            out.println("As expected: " + DemoExpectation.describe(result.expected()) + ".");
        } else {
            out.println("NOT AS EXPECTED: the tree should end " + DemoExpectation.describe(result.expected())
                    + ", but " + String.join("; ", result.differences()) + ".");
        }
        out.flush();
    }

    /** Stops the workers, then the stack; the data stays until the next demo empties it. */
    @Override
    public void close() {
        try {
            if (worker != null) {
                worker.close();
            }
        } finally {
            stack.close();
        }
    }
}
