package dev.fanout.bench;

/** The broker the scenarios run against, held for as long as the bench runs. */
public interface BenchBroker extends AutoCloseable {

    String bootstrapServers();

    /** The Schema Registry beside the broker, for the scenarios that run the topology; none by default. */
    default String registryUrl() {
        return null;
    }

    @Override
    void close();
}
