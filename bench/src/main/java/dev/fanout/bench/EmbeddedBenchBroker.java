package dev.fanout.bench;

import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh embedded broker in a temporary directory, deleted afterwards: each bench starts from empty logs,
 * so one bench's gigabytes of records neither slow the next nor fill the disk. The project's Schema Registry
 * runs beside it (on a free port) for the scenarios that run the topology.
 */
final class EmbeddedBenchBroker implements BenchBroker {

    private final Path dataDir;
    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;

    private EmbeddedBenchBroker(Path dataDir, EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry) {
        this.dataDir = dataDir;
        this.broker = broker;
        this.registry = registry;
    }

    static EmbeddedBenchBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("fanout-bench-broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the bench broker: " + e.getMessage(), e);
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).port(0).build().start();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(broker.bootstrapServers()).port(0).build();
        try {
            registry.start();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return new EmbeddedBenchBroker(dir, broker, registry);
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public String registryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bench done, but its broker data in " + dataDir
                    + " could not be deleted: " + e.getMessage() + " (delete it by hand)", e);
        }
    }
}
