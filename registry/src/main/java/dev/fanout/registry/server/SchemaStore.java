package dev.fanout.registry.server;

import java.util.List;

/**
 * Where the registry keeps its records: the schemas topic in production, memory in unit tests.
 * Reads are snapshots; writes come from one writer at a time (the {@link Registry} serializes them).
 */
interface SchemaStore extends AutoCloseable {

    /** The current state, including every write this store has acknowledged. */
    RegistryState state();

    /**
     * Appends the records in order and returns once {@link #state()} includes them.
     *
     * @throws RegistryError with code 50001 when the store cannot take or confirm the write
     */
    void write(List<StoreRecord> records);

    @Override
    void close();
}
