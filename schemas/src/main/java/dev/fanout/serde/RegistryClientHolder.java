package dev.fanout.serde;

import dev.fanout.registry.client.SchemaRegistryClient;

/**
 * The registry client of a serde and whether the serde must close it: a client it built from its
 * configuration is its own; a client it was given belongs to whoever gave it.
 */
final class RegistryClientHolder {

    private volatile SchemaRegistryClient client;
    private volatile boolean owned;

    /** Uses {@code given}, or builds a client from {@code config} when it is null. */
    synchronized void use(SchemaRegistryClient given, AvroSerdeConfig config) {
        close();
        owned = given == null;
        client = given != null ? given : config.createRegistryClient();
    }

    SchemaRegistryClient client() {
        return client;
    }

    synchronized void close() {
        if (owned && client != null) {
            client.close();
        }
        client = null;
        owned = false;
    }
}
