package dev.fanout.bench;

/** The broker the scenarios run against, held for as long as the bench runs. */
public interface BenchBroker extends AutoCloseable {

    String bootstrapServers();

    @Override
    void close();
}
