package dev.fanout.bench.chaos;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import dev.fanout.bench.BenchException;
import dev.fanout.bench.pipeline.Clients;
import dev.fanout.bench.pipeline.TopologyProcess;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopicInstaller;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One chaos run, in the manner of Kafka's own exactly-once system test: a broker and the Schema Registry on
 * loopback, {@code instances} topology processes sharing one application id, workers and a steady stream of new
 * trees; then, under that load, SIGKILLs of one instance at a time (each restarted on its state directory), a
 * restart of the broker and one of the registry; then the committed output is verified record by record
 * ({@link ChaosVerifier}) and the pauses that each failure caused are measured ({@link TreeDoneTimeline}).
 *
 * <p>The topology runs with the shipped defaults plus {@link ChaosOptions#overrides()}: what a run measures is
 * what a user gets.
 */
public final class ChaosRun {

    private static final String HOST = "127.0.0.1";
    private static final int HEAP_MIB = 512;
    private static final long WARM_UP_MILLIS = 5_000;

    private final ChaosOptions options;
    private final PrintWriter out;
    private final long started = System.currentTimeMillis();
    private final Random random;
    /** The registry now serving (a restart replaces it). */
    private EmbeddedSchemaRegistry registry;

    private ChaosRun(ChaosOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
        this.random = new Random(options.seed());
    }

    /** Runs the whole schedule and returns what it measured; the run's directory keeps every process's log. */
    public static ChaosReport run(ChaosOptions options, PrintWriter out) throws InterruptedException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(out, "out");
        return new ChaosRun(options, out).run();
    }

    private ChaosReport run() throws InterruptedException {
        Path dir = createDirectories(options.dir());
        String runId = "chaos-" + Long.toString(started, 36);
        int[] ports = freePorts(3);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("broker"))
                .port(ports[0]).controllerPort(ports[1]).build();
        broker.start();
        registry = registry(broker, ports[2]).start();
        List<Instance> instances = new ArrayList<>();
        try {
            Map<String, Object> clients = new HashMap<>();
            clients.put("bootstrap.servers", broker.bootstrapServers());
            clients.put("schema.registry.url", registry.url());
            clients.put(FanoutConfig.TOPIC_PREFIX, runId + ".");
            FanoutTopics topics = FanoutTopics.from(clients);
            createTopics(broker.bootstrapServers(), topics);
            subscribe(broker.bootstrapServers(), topics, ChaosWorkload.subscriptions());
            for (int i = 0; i < options.instances(); i++) {
                instances.add(new Instance(i + 1, dir.resolve("instance-" + (i + 1)), settings(clients, runId, dir, i + 1)));
            }
            say("starting %d topology instances (application %s, %d partitions) ...", instances.size(), runId,
                    options.partitions());
            for (Instance instance : instances) {
                instance.start();
            }
            ChaosWorkload workload = new ChaosWorkload(runId, options.minChildren(), options.maxChildren());
            try (ChaosWorkers workers = new ChaosWorkers(broker.bootstrapServers(), topics);
                    TreeDoneTimeline timeline = new TreeDoneTimeline(broker.bootstrapServers(), topics);
                    KafkaProducer<String, ArtifactEvent> events = new KafkaProducer<>(
                            Clients.producer(broker.bootstrapServers(), "chaos-load"), new StringSerializer(),
                            topics.artifactEvents().valueSerde().serializer())) {
                warmUp(runId, topics, events, timeline, workers);
                return underLoad(workload, topics, events, timeline, workers, instances, broker, ports[2]);
            }
        } finally {
            for (Instance instance : instances) {
                instance.stop();
            }
            registry.close();
            broker.close();
        }
    }

    private ChaosReport underLoad(ChaosWorkload workload, FanoutTopics topics, KafkaProducer<String, ArtifactEvent> events,
            TreeDoneTimeline timeline, ChaosWorkers workers, List<Instance> instances, EmbeddedKafkaBroker broker,
            int registryPort) throws InterruptedException {
        int capacity = Math.max(options.minTrees() * 4, 100_000);
        AtomicLongArray emittedAt = new AtomicLongArray(capacity);
        AtomicInteger emitted = new AtomicInteger();
        Load load = new Load(workload, topics, events, emittedAt, emitted, capacity);
        Thread loadThread = new Thread(load, "chaos-load");
        loadThread.setDaemon(true);
        long loadStart = System.currentTimeMillis();
        loadThread.start();
        List<ChaosReport.Disruption> disruptions = new ArrayList<>();
        try {
            sleepChecking(options.steady().toMillis(), workers, timeline, emitted);
            int first = random.nextInt(instances.size());
            for (int k = 0; k < options.kills(); k++) {
                Instance victim = instances.get((first + k) % instances.size()); // each instance in turn
                long at = System.currentTimeMillis();
                long pid = victim.kill();
                long back = victim.start();
                disruptions.add(new ChaosReport.Disruption("kill -9 of instance " + victim.number + " (pid " + pid + ")",
                        at - loadStart, back - at));
                say("killed instance %d (pid %d) and started it again in %.1f s; %d trees emitted, %d done",
                        victim.number, pid, (back - at) / 1000.0, emitted.get(), timeline.treesDone());
                sleepChecking(interval() - (System.currentTimeMillis() - at), workers, timeline, emitted);
            }
            if (options.restartBroker()) {
                long at = System.currentTimeMillis();
                broker.close();
                broker.start();
                long back = System.currentTimeMillis();
                disruptions.add(new ChaosReport.Disruption("broker restart", at - loadStart, back - at));
                say("restarted the broker in %.1f s; %d trees emitted, %d done", (back - at) / 1000.0, emitted.get(),
                        timeline.treesDone());
                sleepChecking(interval() - (System.currentTimeMillis() - at), workers, timeline, emitted);
            }
            if (options.restartRegistry()) {
                long at = System.currentTimeMillis();
                registry.close();
                registry = registry(broker, registryPort).start();
                long back = System.currentTimeMillis();
                disruptions.add(new ChaosReport.Disruption("Schema Registry restart", at - loadStart, back - at));
                say("restarted the Schema Registry in %.1f s; %d trees emitted, %d done", (back - at) / 1000.0,
                        emitted.get(), timeline.treesDone());
                sleepChecking(interval() - (System.currentTimeMillis() - at), workers, timeline, emitted);
            }
            while (emitted.get() < options.minTrees()) {
                sleepChecking(1_000, workers, timeline, emitted);
            }
        } finally {
            load.stop();
            loadThread.join(30_000);
        }
        long loadEnd = System.currentTimeMillis();
        int trees = emitted.get();
        say("the load stopped after %d trees; waiting for every tree to finish ...", trees);
        long drainDeadline = System.currentTimeMillis() + options.drainTimeout().toMillis();
        while (System.currentTimeMillis() < drainDeadline && !allDone(workload, timeline, trees)) {
            Thread.sleep(200);
            workers.check();
            timeline.check();
        }
        long drained = System.currentTimeMillis();
        say("%d of %d trees done; stopping the instances and verifying what they committed ...",
                doneCount(workload, timeline, trees), trees);
        for (Instance instance : instances) {
            instance.stop();
        }
        ChaosVerifier.Verdict verdict = ChaosVerifier.verify(broker.bootstrapServers(), topics, workload, trees);
        return report(workload, timeline, emittedAt, trees, loadStart, loadEnd, drained, disruptions, verdict);
    }

    private ChaosReport report(ChaosWorkload workload, TreeDoneTimeline timeline, AtomicLongArray emittedAt, int trees,
            long loadStart, long loadEnd, long drained, List<ChaosReport.Disruption> disruptions,
            ChaosVerifier.Verdict verdict) {
        long steadyFrom = loadStart + WARM_UP_MILLIS;
        long chaosFrom = disruptions.isEmpty() ? loadEnd : loadStart + disruptions.get(0).atMillis();
        List<ChaosReport.Disruption> measured = new ArrayList<>();
        for (int i = 0; i < disruptions.size(); i++) {
            ChaosReport.Disruption d = disruptions.get(i);
            long from = loadStart + d.atMillis();
            long to = i + 1 < disruptions.size() ? loadStart + disruptions.get(i + 1).atMillis() : loadEnd;
            measured.add(d.withPause(timeline.longestPauseMillis(from, to)));
        }
        List<Long> steadyLatency = new ArrayList<>();
        List<Long> chaosLatency = new ArrayList<>();
        for (int i = 0; i < trees; i++) {
            Long done = timeline.doneAt(workload.treeId(i));
            long at = emittedAt.get(i);
            if (done == null || at == 0) {
                continue;
            }
            if (at >= steadyFrom && at < chaosFrom) {
                steadyLatency.add(done - at);
            } else if (at >= chaosFrom) {
                chaosLatency.add(done - at);
            }
        }
        int seconds = (int) ((drained - loadStart) / 1000) + 1;
        List<Integer> perSecond = new ArrayList<>(java.util.Collections.nCopies(seconds, 0));
        for (TreeDoneTimeline.Arrival a : timeline.arrivals()) {
            int second = (int) ((a.millis() - loadStart) / 1000);
            if (second >= 0 && second < seconds) {
                perSecond.set(second, perSecond.get(second) + 1);
            }
        }
        return new ChaosReport(options, Instant.ofEpochMilli(started), trees, (loadEnd - loadStart) / 1000.0,
                (drained - loadEnd) / 1000.0, timeline.longestPauseMillis(steadyFrom, chaosFrom), measured,
                ChaosReport.Percentiles.of(steadyLatency), ChaosReport.Percentiles.of(chaosLatency), verdict,
                List.copyOf(perSecond));
    }

    /** Emits trees until the subscriptions are indexed and one finishes with its children: the stack is ready. */
    private void warmUp(String runId, FanoutTopics topics, KafkaProducer<String, ArtifactEvent> events,
            TreeDoneTimeline timeline, ChaosWorkers workers) throws InterruptedException {
        ChaosWorkload warmUp = new ChaosWorkload(runId + "-warm-up", 10, 10);
        long deadline = System.currentTimeMillis() + 180_000;
        for (int i = 0; System.currentTimeMillis() < deadline; i++) {
            ArtifactEvent event = warmUp.rootEvent(i, Instant.now());
            events.send(new ProducerRecord<>(topics.artifactEvents().name(), event.getArtifact(), event));
            events.flush();
            long wait = System.currentTimeMillis() + 30_000;
            while (timeline.doneAt(event.getEventId()) == null && System.currentTimeMillis() < wait) {
                Thread.sleep(100);
                workers.check();
                timeline.check();
            }
            if (timeline.doneAt(event.getEventId()) != null && workers.triggersRead() > 0) {
                say("the stack is ready (warm-up tree %d done)", i + 1);
                return;
            }
            Thread.sleep(500);
        }
        throw new BenchException("no warm-up tree finished with its children within 3 minutes; the instances' logs are in "
                + options.dir(), null);
    }

    private boolean allDone(ChaosWorkload workload, TreeDoneTimeline timeline, int trees) {
        return doneCount(workload, timeline, trees) == trees;
    }

    private static int doneCount(ChaosWorkload workload, TreeDoneTimeline timeline, int trees) {
        int done = 0;
        for (int i = 0; i < trees; i++) {
            if (timeline.doneAt(workload.treeId(i)) != null) {
                done++;
            }
        }
        return done;
    }

    private long interval() {
        long min = options.killEveryMin().toMillis();
        long max = options.killEveryMax().toMillis();
        return min + (max == min ? 0 : (long) (random.nextDouble() * (max - min)));
    }

    private void sleepChecking(long millis, ChaosWorkers workers, TreeDoneTimeline timeline, AtomicInteger emitted)
            throws InterruptedException {
        long end = System.currentTimeMillis() + Math.max(0, millis);
        long nextLine = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            Thread.sleep(Math.min(200, Math.max(1, end - System.currentTimeMillis())));
            workers.check();
            timeline.check();
            if (System.currentTimeMillis() >= nextLine) {
                say("%d trees emitted, %d done", emitted.get(), timeline.treesDone());
                nextLine += 10_000;
            }
        }
    }

    private Map<String, Object> settings(Map<String, Object> clients, String applicationId, Path dir, int number) {
        Map<String, Object> settings = new HashMap<>(clients);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("instance-" + number).resolve("state").toString());
        settings.put(FanoutConfig.HTTP_PORT, -1);
        settings.putAll(options.overrides());
        return settings;
    }

    private static EmbeddedSchemaRegistry registry(EmbeddedKafkaBroker broker, int port) {
        return EmbeddedSchemaRegistry.builder().bootstrapServers(broker.bootstrapServers()).host(HOST).port(port).build();
    }

    private void createTopics(String bootstrapServers, FanoutTopics topics) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            new TopicInstaller(admin).install(topics.specs(), options.partitions(), (short) 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new BenchException("cannot create the run's topics: " + e.getCause().getMessage(), e);
        }
    }

    private static void subscribe(String bootstrapServers, FanoutTopics topics, List<Subscription> subscriptions) {
        try (KafkaProducer<String, Subscription> producer = new KafkaProducer<>(
                Clients.producer(bootstrapServers, "chaos-subscriptions"), new StringSerializer(),
                topics.subscriptions().valueSerde().serializer())) {
            for (Subscription s : subscriptions) {
                producer.send(new ProducerRecord<>(topics.subscriptions().name(), s.getId(), s));
            }
        }
    }

    private void say(String format, Object... args) {
        out.printf("[%5.1f s] %s%n", (System.currentTimeMillis() - started) / 1000.0, String.format(format, args));
        out.flush();
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the chaos run's directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].bind(new InetSocketAddress(HOST, 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    if (s != null) {
                        s.close();
                    }
                } catch (IOException ignored) {
                    // nothing listens on it
                }
            }
        }
    }

    /** One topology process of the run: its state directory outlives each of its JVMs. */
    private final class Instance {
        private final int number;
        private final Path dir;
        private final Map<String, Object> settings;
        private TopologyProcess process;
        private int incarnation;

        Instance(int number, Path dir, Map<String, Object> settings) {
            this.number = number;
            this.dir = dir;
            this.settings = settings;
        }

        /** Starts a new JVM on the instance's state directory; returns when it runs (harness clock). */
        long start() {
            incarnation++;
            Path processDir = createDirectories(dir.resolve("jvm-" + incarnation));
            process = TopologyProcess.start(settings, HEAP_MIB, processDir);
            return System.currentTimeMillis();
        }

        long kill() {
            long pid = process.pid();
            process.kill();
            return pid;
        }

        void stop() {
            if (process != null) {
                try {
                    process.stopGracefully();
                } catch (RuntimeException e) {
                    say("instance %d did not stop cleanly: %s", number, e.getMessage());
                }
                process.close();
                process = null;
            }
        }
    }

    /** Emits new trees at the options' rate, remembering when each was sent (harness clock). */
    private final class Load implements Runnable {
        private final ChaosWorkload workload;
        private final FanoutTopics topics;
        private final KafkaProducer<String, ArtifactEvent> events;
        private final AtomicLongArray emittedAt;
        private final AtomicInteger emitted;
        private final int capacity;
        private volatile boolean running = true;

        Load(ChaosWorkload workload, FanoutTopics topics, KafkaProducer<String, ArtifactEvent> events,
             AtomicLongArray emittedAt, AtomicInteger emitted, int capacity) {
            this.workload = workload;
            this.topics = topics;
            this.events = events;
            this.emittedAt = emittedAt;
            this.emitted = emitted;
            this.capacity = capacity;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            double nanosPerTree = 1e9 / options.treesPerSecond();
            try {
                for (int i = 0; running && i < capacity; i++) {
                    long due = start + (long) (i * nanosPerTree);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    ArtifactEvent event = workload.rootEvent(i, Instant.now());
                    emittedAt.set(i, System.currentTimeMillis());
                    events.send(new ProducerRecord<>(topics.artifactEvents().name(), event.getArtifact(), event));
                    emitted.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.flush();
        }

        void stop() {
            running = false;
        }
    }
}
