package dev.fanout.serde;

import dev.fanout.registry.client.RegisteredSchema;
import dev.fanout.registry.client.RestClientException;
import dev.fanout.registry.client.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes generated Avro records in Confluent's wire format, under the subject {@code <topic>-value}
 * (or {@code -key}). Configured like Confluent's serializer, see {@link AvroSerdeConfig}.
 *
 * <p>A record the registry refuses (incompatible, not registered) fails with a
 * {@link SerializationException}; a registry that cannot be reached fails with
 * {@link dev.fanout.registry.client.SchemaRegistryUnavailableException}, because the record is fine.
 */
public final class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private static final Logger log = LoggerFactory.getLogger(SpecificAvroSerializer.class);

    private final SchemaRegistryClient injectedClient;
    private final RegistryClientHolder clientHolder = new RegistryClientHolder();
    private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> latestSchemas = new ConcurrentHashMap<>();
    /** Readers that resolve a record's own encoding to a latest schema, once checked compatible. */
    private final Map<Conversion, DatumReader<Object>> converters = new ConcurrentHashMap<>();
    /** Per topic, the ids of the schemas written there, for the registered and looked-up paths. */
    private final Map<String, TopicTarget> targets = new ConcurrentHashMap<>();
    /** Each thread's output buffer and encoder, reused from record to record. */
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);
    private volatile Settings settings;

    /** Builds its registry client from the configuration. */
    public SpecificAvroSerializer() {
        this.injectedClient = null;
    }

    /** Uses this client (and leaves closing it to the caller); the configuration is still required. */
    public SpecificAvroSerializer(SchemaRegistryClient client) {
        this.injectedClient = Objects.requireNonNull(client, "client");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(new AvroSerdeConfig(configs), isKey, null);
    }

    /** With a client owned by the caller ({@link SpecificAvroSerde} shares one), or null to build one. */
    void configure(AvroSerdeConfig config, boolean isKey, SchemaRegistryClient sharedClient) {
        clientHolder.use(injectedClient != null ? injectedClient : sharedClient, config);
        if (config.autoRegisterSchemas() && config.useLatestVersion()) {
            log.warn("{} and {} are both true: the record's schema is registered and {} has no effect",
                    AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, AvroSerdeConfig.USE_LATEST_VERSION,
                    AvroSerdeConfig.USE_LATEST_VERSION);
        }
        settings = new Settings(isKey, config.autoRegisterSchemas(), config.useLatestVersion(), config.normalizeSchemas());
        targets.clear();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Settings current = requireConfigured();
        Schema recordSchema = record.getSchema();
        if (!current.useLatest() || current.autoRegister()) {
            return serializeWithOwnSchema(topic, record, recordSchema, current);
        }
        String subject = TopicNameStrategy.subjectName(topic, current.isKey());
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RegisteredSchema latest = clientHolder.client().getLatestVersion(subject);
            out.writeBytes(WireFormat.header(latest.id()));
            writeAs(record, latestSchema(latest), out, topic, latest);
            return out.toByteArray();
        } catch (RestClientException e) {
            throw refused(topic, subject, recordSchema, e);
        }
    }

    /**
     * The record's own schema, registered or looked up once per topic and schema: a topic's records
     * nearly always share their class's schema instance, so after the first record the id is one
     * identity check away, and the record is encoded into this thread's reused buffer.
     */
    private byte[] serializeWithOwnSchema(String topic, T record, Schema recordSchema, Settings current) {
        TopicTarget target = targets.computeIfAbsent(topic,
                t -> new TopicTarget(TopicNameStrategy.subjectName(t, current.isKey())));
        Known known = target.find(recordSchema);
        if (known == null) {
            int id;
            try {
                id = current.autoRegister()
                        ? clientHolder.client().register(target.subject, recordSchema, current.normalize())
                        : clientHolder.client().lookup(target.subject, recordSchema, current.normalize()).id();
            } catch (RestClientException e) {
                throw refused(topic, target.subject, recordSchema, e);
            }
            known = target.add(new Known(recordSchema, WireFormat.header(id), writerFor(recordSchema, record)));
        }
        Buffer buffer = buffers.get();
        buffer.reset();
        buffer.writeBytes(known.header());
        try {
            buffer.encoder = EncoderFactory.get().binaryEncoder(buffer, buffer.encoder);
            known.writer().write(record, buffer.encoder);
            buffer.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("topic " + topic + ": cannot write " + recordSchema.getFullName()
                    + " as Avro: " + explain(record, recordSchema, e), e);
        }
        return buffer.toByteArray();
    }

    /**
     * Avro's generated encoders say only that some field was null; writing the record again field by
     * field names the field.
     */
    private static String explain(Object record, Schema schema, Exception e) {
        try {
            SpecificData own = SpecificData.getForClass(record.getClass());
            new SpecificDatumWriter<>(schema, own).write(record, EncoderFactory.get().binaryEncoder(
                    new ByteArrayOutputStream(), null));
        } catch (IOException | RuntimeException detailed) {
            return detailed.getMessage();
        }
        return e.getMessage();
    }

    private static SerializationException refused(String topic, String subject, Schema schema, RestClientException e) {
        return new SerializationException("topic " + topic + ": the Schema Registry refused the schema "
                + schema.getFullName() + " for subject " + subject + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        clientHolder.close();
    }

    /** Avro reports a record it cannot write (a null in a required field, say) with runtime exceptions. */
    private void write(Object datum, Schema schema, ByteArrayOutputStream out, String topic) {
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writerFor(schema, datum).write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("topic " + topic + ": cannot write " + schema.getFullName()
                    + " as Avro: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the record with another schema, the subject's latest. Avro's writers pick fields by
     * position, so a record cannot be written with a schema whose fields sit elsewhere: the record is
     * first resolved into a generic record of the latest schema, then written.
     */
    private void writeAs(T record, Schema latest, ByteArrayOutputStream out, String topic, RegisteredSchema registered) {
        Schema own = record.getSchema();
        if (own.equals(latest)) {
            write(record, own, out, topic);
            return;
        }
        DatumReader<Object> converter = converters.computeIfAbsent(new Conversion(own, registered.id()),
                conversion -> converter(own, latest, topic, registered));
        ByteArrayOutputStream ownBytes = new ByteArrayOutputStream();
        write(record, own, ownBytes, topic);
        Object resolved;
        try {
            resolved = converter.read(null, DecoderFactory.get().binaryDecoder(ownBytes.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("topic " + topic + ": cannot convert " + own.getFullName()
                    + " to the latest schema of subject " + registered.subject() + ": " + e.getMessage(), e);
        }
        write(resolved, latest, out, topic);
    }

    private static DatumReader<Object> converter(Schema own, Schema latest, String topic, RegisteredSchema registered) {
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(latest, own);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("topic " + topic + ": " + AvroSerdeConfig.USE_LATEST_VERSION
                    + " is true but the latest schema of subject " + registered.subject() + " (version "
                    + registered.version() + ", id " + registered.id() + ") cannot represent a " + own.getFullName()
                    + ": " + Incompatibilities.describe(compatibility.getResult()));
        }
        return new GenericDatumReader<>(own, latest);
    }

    private DatumWriter<Object> writerFor(Schema schema, Object datum) {
        if (datum instanceof SpecificRecord) {
            return specificWriters.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, writerModel(datum.getClass())));
        }
        return genericWriters.computeIfAbsent(schema, GenericDatumWriter::new);
    }

    /**
     * The class's own model's logical-type conversions (Instant for timestamp-millis), with Avro's
     * generated encoders turned on: records whose fields have no logical type (run, tree and plan
     * records among them) are then written by straight-line generated code instead of field by field
     * through the schema, resolving each optional field's union by name. The bytes are the same.
     */
    private static SpecificData writerModel(Class<?> type) {
        SpecificData own = SpecificData.getForClass(type);
        SpecificData model = new SpecificData(type.getClassLoader());
        own.getConversions().forEach(model::addLogicalTypeConversion);
        model.setCustomCoders(true);
        return model;
    }

    private Schema latestSchema(RegisteredSchema latest) {
        return latestSchemas.computeIfAbsent(latest.id(), id -> latest.avroSchema());
    }

    private Settings requireConfigured() {
        Settings current = settings;
        if (current == null) {
            throw new IllegalStateException("SpecificAvroSerializer is not configured: call configure(configs, isKey) "
                    + "with at least " + AvroSerdeConfig.SCHEMA_REGISTRY_URL + " before serializing");
        }
        return current;
    }

    private record Settings(boolean isKey, boolean autoRegister, boolean useLatest, boolean normalize) {
    }

    private record Conversion(Schema own, int latestId) {
    }

    private record Known(Schema schema, byte[] header, DatumWriter<Object> writer) {
    }

    /** A topic's subject and the schemas written to it so far, found by identity (nearly always one). */
    private static final class TopicTarget {
        private final String subject;
        private volatile Known[] known = new Known[0];

        TopicTarget(String subject) {
            this.subject = subject;
        }

        Known find(Schema schema) {
            for (Known each : known) {
                if (each.schema() == schema) {
                    return each;
                }
            }
            return null;
        }

        synchronized Known add(Known added) {
            Known present = find(added.schema());
            if (present != null) {
                return present;
            }
            Known[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = added;
            known = more;
            return added;
        }
    }

    /** A byte stream that is emptied rather than replaced, with the encoder that writes into it. */
    private static final class Buffer extends ByteArrayOutputStream {
        private BinaryEncoder encoder;

        Buffer() {
            super(512);
        }
    }
}
