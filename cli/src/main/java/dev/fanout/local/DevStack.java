package dev.fanout.local;

import dev.fanout.app.FanoutApp;
import dev.fanout.config.ContractSchemaInstaller;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopicInstaller;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The local default, all on loopback: a KRaft broker, the Schema Registry, the contract's topics with their
 * schemas registered, and the Fanout topology with its query API. Data lives under one directory and is
 * kept between runs; a lock file stops two stacks from sharing it.
 */
public final class DevStack implements AutoCloseable {

    /**
     * Where and how to run; a port 0 is any free port, an HTTP port of -1 turns the query API off. Without
     * {@code topology} only the broker, the registry, the topics and their schemas start: for a topology run
     * elsewhere (from an IDE, say) or for clients that need no topology, such as {@code fanout subscriptions}.
     */
    public record Options(Path dataDir, String host, int kafkaPort, int registryPort, int partitions, int httpPort,
            boolean topology) {
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(host, "host");
        }

        /** With the topology. */
        public Options(Path dataDir, String host, int kafkaPort, int registryPort, int partitions, int httpPort) {
            this(dataDir, host, kafkaPort, registryPort, partitions, httpPort, true);
        }

        /** With the topology, its query API on any free port. */
        public Options(Path dataDir, String host, int kafkaPort, int registryPort, int partitions) {
            this(dataDir, host, kafkaPort, registryPort, partitions, 0);
        }

        /** The same without the topology (and so without the query API). */
        public Options withoutTopology() {
            return new Options(dataDir, host, kafkaPort, registryPort, partitions, -1, false);
        }
    }

    private final Options options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private EmbeddedKafkaBroker broker;
    private EmbeddedSchemaRegistry registry;
    private FanoutApp fanout;
    private List<TopicInstaller.Outcome> topics = List.of();
    private List<ContractSchemaInstaller.Outcome> schemas = List.of();

    private DevStack(Options options, FileChannel lockChannel, FileLock lock) {
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Starts everything, or stops what was started and throws. */
    public static DevStack start(Options options) {
        Path dir = options.dataDir().toAbsolutePath();
        FileChannel channel;
        FileLock lock;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data directory " + dir + ": " + e.getMessage()
                    + " (choose another with --data-dir or FANOUT_HOME)", e);
        } catch (OverlappingFileLockException e) {
            lock = null;
            channel = null;
        }
        if (lock == null) {
            throw new IllegalStateException("data directory " + dir + " is in use by another 'fanout dev'; stop it, "
                    + "or give this one its own --data-dir");
        }
        DevStack stack = new DevStack(options, channel, lock);
        try {
            stack.startParts(dir);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startParts(Path dir) {
        broker = EmbeddedKafkaBroker.builder()
                .dataDir(dir.resolve("kafka"))
                .host(options.host())
                .port(options.kafkaPort())
                .build()
                .start();
        registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(broker.bootstrapServers())
                .host(options.host())
                .port(options.registryPort())
                .build();
        registry.start();
        Map<String, Object> settings = settings();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            topics = new TopicInstaller(admin).install(FanoutTopics.from(settings).specs(), options.partitions(), (short) 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics on " + broker.bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
        try (SchemaRegistryClient client = AvroSerdeConfig.createRegistryClient(settings)) {
            schemas = new ContractSchemaInstaller(client).install(FanoutTopics.from(settings));
        }
        if (options.topology()) {
            startTopology(dir.resolve("streams"));
        }
    }

    /** The topology, with its state under the data directory so that it survives restarts of the stack. */
    private void startTopology(Path stateDir) {
        Map<String, Object> streams = new HashMap<>(settings());
        streams.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streams.put(FanoutConfig.HTTP_HOST, options.host());
        streams.put(FanoutConfig.HTTP_PORT, options.httpPort());
        fanout = FanoutApp.start(streams);
        try {
            fanout.awaitRunning(Duration.ofSeconds(120));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the topology", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Client settings that reach this stack: bootstrap servers and registry URL. */
    public Map<String, Object> settings() {
        return Map.of("bootstrap.servers", bootstrapServers(), "schema.registry.url", registryUrl(),
                FanoutConfig.TOPIC_PREFIX, "fanout.");
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** The query API and web page, such as {@code http://127.0.0.1:8080}; empty when it is off. */
    public Optional<String> apiUrl() {
        if (fanout == null) {
            return Optional.empty();
        }
        return fanout.httpPort().stream().mapToObj(port -> "http://" + options.host() + ":" + port).findFirst();
    }

    public Path dataDir() {
        return options.dataDir().toAbsolutePath();
    }

    public List<TopicInstaller.Outcome> topics() {
        return topics;
    }

    /** The contract schemas, registered under their topics' subjects. */
    public List<ContractSchemaInstaller.Outcome> schemas() {
        return schemas;
    }

    /** Stops the parts in reverse order; data stays for the next start. */
    @Override
    public void close() {
        List<RuntimeException> errors = new ArrayList<>();
        if (fanout != null) {
            run(fanout::close, errors);
        }
        if (registry != null) {
            run(registry::close, errors);
        }
        if (broker != null) {
            run(broker::close, errors);
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            errors.add(new UncheckedIOException(e));
        }
        if (!errors.isEmpty()) {
            RuntimeException first = errors.get(0);
            errors.subList(1, errors.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void run(Runnable step, List<RuntimeException> errors) {
        try {
            step.run();
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }
}
