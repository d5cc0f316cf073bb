package dev.fanout.registry.server;

import java.util.List;

/**
 * A store in memory for unit tests of the rules and the HTTP layer: it applies each write at once, the
 * same way the Kafka store's reader applies what it reads. It can be told to fail writes, to see how
 * the API reports a store that is down.
 */
final class InMemorySchemaStore implements SchemaStore {

    private RegistryState state = RegistryState.EMPTY;
    private String failure;

    @Override
    public synchronized RegistryState state() {
        return state;
    }

    @Override
    public synchronized void write(List<StoreRecord> records) {
        if (failure != null) {
            throw RegistryError.store("Error while writing to the Kafka store: " + failure, null);
        }
        RegistryState.Builder next = state.toBuilder();
        records.forEach(next::apply);
        state = next.build();
    }

    /** From now on every write fails with this reason. */
    synchronized void failWrites(String reason) {
        failure = reason;
    }

    @Override
    public void close() {
    }
}
