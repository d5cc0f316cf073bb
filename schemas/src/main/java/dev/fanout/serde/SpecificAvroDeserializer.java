package dev.fanout.serde;

import dev.fanout.registry.client.SchemaNotFoundException;
import dev.fanout.registry.client.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values in Confluent's wire format into a generated Avro class: the writer schema comes from
 * the registry by the id in the value, and Avro's schema resolution maps it to the class's schema
 * (fields added since get their defaults, fields removed since are skipped).
 *
 * <p>Bad bytes fail with a {@link SerializationException} that names the topic and what was found:
 * too short, wrong magic byte, an id the registry does not know, a writer schema the class cannot read,
 * undecodable Avro. A registry that cannot be reached fails with
 * {@link dev.fanout.registry.client.SchemaRegistryUnavailableException} instead, because the bytes may
 * well be fine: a dead-letter handler must not swallow every record during an outage.
 */
public final class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Class<T> injectedType;
    private final SchemaRegistryClient injectedClient;
    private final RegistryClientHolder clientHolder = new RegistryClientHolder();
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    /** Each thread's decoder, pointed at the next record's bytes rather than allocated for each. */
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();
    private volatile boolean configured;
    private volatile Class<?> targetType;

    /** Reads into the class configured by {@code specific.avro.value.type}, or named by the writer schema. */
    public SpecificAvroDeserializer() {
        this.injectedType = null;
        this.injectedClient = null;
    }

    public SpecificAvroDeserializer(Class<T> type) {
        this.injectedType = Objects.requireNonNull(type, "type");
        this.injectedClient = null;
    }

    /**
     * Uses this client (and leaves closing it to the caller) and reads into the configured class, or the
     * one the writer schema names; the configuration is still required.
     */
    public SpecificAvroDeserializer(SchemaRegistryClient client) {
        this.injectedType = null;
        this.injectedClient = Objects.requireNonNull(client, "client");
    }

    /** Uses this client (and leaves closing it to the caller); the configuration is still required. */
    public SpecificAvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this.injectedType = Objects.requireNonNull(type, "type");
        this.injectedClient = Objects.requireNonNull(client, "client");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(new AvroSerdeConfig(configs), isKey, null);
    }

    void configure(AvroSerdeConfig config, boolean isKey, SchemaRegistryClient sharedClient) {
        clientHolder.use(injectedClient != null ? injectedClient : sharedClient, config);
        targetType = injectedType != null ? injectedType : config.specificAvroType(isKey).orElse(null);
        readers.clear();
        configured = true;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (!configured) {
            throw new IllegalStateException("SpecificAvroDeserializer is not configured: call configure(configs, "
                    + "isKey) with at least " + AvroSerdeConfig.SCHEMA_REGISTRY_URL + " before deserializing");
        }
        int id = WireFormat.schemaId(data, topic);
        DatumReader<T> reader = readerFor(id, topic);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, decoders.get());
        decoders.set(decoder);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("topic " + topic + ": cannot decode the Avro data written with schema id "
                    + id + " (" + data.length + " bytes): " + e, e);
        }
        if (!isAtEnd(decoder)) {
            // Bytes left over mean the data was not written with this schema: corrupt, or a wrong id.
            throw new SerializationException("topic " + topic + ": the Avro data written with schema id " + id
                    + " has bytes left over after the value (" + data.length + " bytes in all); it is corrupt "
                    + "or was not written with that schema");
        }
        return value;
    }

    @Override
    public void close() {
        clientHolder.close();
    }

    private DatumReader<T> readerFor(int id, String topic) {
        DatumReader<T> cached = readers.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer = writerSchema(id, topic);
        Class<?> type = targetType != null ? targetType : classNamedBy(writer, id, topic);
        SpecificData model = SpecificData.getForClass(type);
        Schema readerSchema = model.getSchema(type);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("topic " + topic + ": data written with schema id " + id + " ("
                    + writer.getFullName() + ") cannot be read as " + type.getName() + ": "
                    + Incompatibilities.describe(compatibility.getResult()));
        }
        DatumReader<T> reader = new SpecificDatumReader<>(writer, readerSchema, model);
        readers.put(id, reader);
        return reader;
    }

    private Schema writerSchema(int id, String topic) {
        try {
            return clientHolder.client().getSchemaById(id);
        } catch (SchemaNotFoundException e) {
            throw new SerializationException("topic " + topic + ": schema id " + id
                    + " is unknown to the Schema Registry (" + e.registryMessage() + ")", e);
        }
    }

    /** Without a configured class, Confluent's specific reader finds the generated class by the writer's name. */
    private static Class<?> classNamedBy(Schema writer, int id, String topic) {
        Class<?> type = SpecificData.get().getClass(writer);
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new SerializationException("topic " + topic + ": no generated class " + writer.getFullName()
                    + " for schema id " + id + "; put it on the classpath or set "
                    + AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE + " / " + AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE);
        }
        return type;
    }

    private static boolean isAtEnd(BinaryDecoder decoder) {
        try {
            return decoder.isEnd();
        } catch (IOException e) {
            return false;
        }
    }
}
