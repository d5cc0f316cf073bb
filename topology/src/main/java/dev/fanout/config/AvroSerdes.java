package dev.fanout.config;

import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.serde.SpecificAvroSerde;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the registry-backed Avro serdes of every topic and store, public or internal, from one set of
 * settings. A given registry client (tests use an in-memory one) is shared by all of them; without one,
 * each serde builds its own from {@code schema.registry.url}.
 */
public final class AvroSerdes {

    private final Map<String, ?> config;
    private final SchemaRegistryClient client;

    public AvroSerdes(Map<String, ?> config) {
        this.config = Map.copyOf(Objects.requireNonNull(config, "config"));
        this.client = null;
    }

    public AvroSerdes(Map<String, ?> config, SchemaRegistryClient client) {
        this.config = Map.copyOf(Objects.requireNonNull(config, "config"));
        this.client = Objects.requireNonNull(client, "client");
    }

    /** A configured value serde for {@code type}. */
    public <T extends SpecificRecord> Serde<T> forValues(Class<T> type) {
        Objects.requireNonNull(type, "type");
        SpecificAvroSerde<T> serde = client == null ? new SpecificAvroSerde<>(type) : new SpecificAvroSerde<>(type, client);
        serde.configure(config, false);
        return serde;
    }
}
