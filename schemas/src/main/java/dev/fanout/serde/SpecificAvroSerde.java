package dev.fanout.serde;

import dev.fanout.registry.client.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link SpecificAvroSerializer} and {@link SpecificAvroDeserializer} as one Kafka {@link Serde}. The two
 * share one registry client, built from the configuration unless one is given.
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SchemaRegistryClient injectedClient;
    private final RegistryClientHolder clientHolder = new RegistryClientHolder();
    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    /** Deserializes into the class configured by {@code specific.avro.value.type}, or named by the writer schema. */
    public SpecificAvroSerde() {
        this.injectedClient = null;
        this.serializer = new SpecificAvroSerializer<>();
        this.deserializer = new SpecificAvroDeserializer<>();
    }

    public SpecificAvroSerde(Class<T> type) {
        this.injectedClient = null;
        this.serializer = new SpecificAvroSerializer<>();
        this.deserializer = new SpecificAvroDeserializer<>(Objects.requireNonNull(type, "type"));
    }

    /**
     * Uses this client (and leaves closing it to the caller) and deserializes into the configured class,
     * or the one the writer schema names; the configuration is still required.
     */
    public SpecificAvroSerde(SchemaRegistryClient client) {
        this.injectedClient = Objects.requireNonNull(client, "client");
        this.serializer = new SpecificAvroSerializer<>(client);
        this.deserializer = new SpecificAvroDeserializer<>(client);
    }

    /** Uses this client (and leaves closing it to the caller); the configuration is still required. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.injectedClient = Objects.requireNonNull(client, "client");
        this.serializer = new SpecificAvroSerializer<>(client);
        this.deserializer = new SpecificAvroDeserializer<>(Objects.requireNonNull(type, "type"), client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        clientHolder.use(injectedClient, config);
        serializer.configure(config, isKey, clientHolder.client());
        deserializer.configure(config, isKey, clientHolder.client());
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
        clientHolder.close();
    }
}
