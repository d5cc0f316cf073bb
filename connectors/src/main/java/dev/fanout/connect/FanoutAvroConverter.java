package dev.fanout.connect;

import dev.fanout.connect.data.SchemaTranslator;
import dev.fanout.connect.data.ValueTranslator;
import dev.fanout.registry.client.RestClientException;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.registry.client.SchemaRegistryException;
import dev.fanout.registry.client.SchemaRegistryUnavailableException;
import dev.fanout.serde.AvroSerdeConfig;
import dev.fanout.serde.TopicNameStrategy;
import dev.fanout.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Kafka Connect converter for Avro in Confluent's wire format, with Fanout's registry client: a sink
 * reads {@code TreeDone}, {@code FanOutDone} or any other value a Confluent-compatible serializer wrote
 * as Connect structs, and a source writes Connect data as Avro under the topic's subject.
 *
 * <p>It takes the serde's settings ({@code schema.registry.url}, basic auth, TLS, timeouts;
 * {@link AvroSerdeConfig}), given to a connector with the {@code value.converter.} or
 * {@code key.converter.} prefix. A registry that does not answer fails with a
 * {@link RetriableException}, so Connect retries instead of dead-lettering sound records; bytes it
 * cannot read (not the wire format, an id the registry does not know, undecodable Avro) fail with a
 * {@link DataException} that says why, which {@code errors.tolerance=all} sends to the dead-letter queue.
 */
public final class FanoutAvroConverter implements Converter {

    private final SchemaRegistryClient injectedClient;
    private final Map<Integer, Reader> readers = new ConcurrentHashMap<>();
    private final Map<org.apache.kafka.connect.data.Schema, Schema> avroSchemas = new ConcurrentHashMap<>();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private AvroSerdeConfig config;
    private boolean isKey;

    /** The converter Connect instantiates: it builds its registry client from its configuration. */
    public FanoutAvroConverter() {
        this.injectedClient = null;
    }

    /** Uses {@code client} (and leaves closing it to the caller); the configuration is still required. */
    public FanoutAvroConverter(SchemaRegistryClient client) {
        this.injectedClient = Objects.requireNonNull(client, "client");
    }

    /** The Avro schema and its Connect equivalent for one writer schema id. */
    private record Reader(Schema avro, org.apache.kafka.connect.data.Schema connect, GenericDatumReader<Object> datumReader) {
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        close();
        this.config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        this.ownsClient = injectedClient == null;
        this.client = injectedClient != null ? injectedClient : config.createRegistryClient();
        readers.clear();
        avroSchemas.clear();
        ids.clear();
    }

    @Override
    public ConfigDef config() {
        return AvroSerdeConfig.configDef();
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        requireConfigured();
        int id;
        try {
            id = WireFormat.schemaId(value, topic);
        } catch (SerializationException e) {
            throw new DataException(e.getMessage(), e);
        }
        Reader reader = readers.computeIfAbsent(id, key -> reader(topic, key));
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, null);
        Object avroValue;
        try {
            avroValue = reader.datumReader().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new DataException("topic " + topic + ": the Avro data written with schema id " + id
                        + " has bytes left over after the value (" + value.length + " bytes in all); it is corrupt "
                        + "or was not written with that schema");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException dataException) {
                throw dataException;
            }
            throw new DataException("topic " + topic + ": cannot decode the Avro data written with schema id " + id
                    + " (" + value.length + " bytes): " + e, e);
        }
        return new SchemaAndValue(reader.connect(), ValueTranslator.toConnect(reader.connect(), reader.avro(), avroValue));
    }

    @Override
    public byte[] fromConnectData(String topic, org.apache.kafka.connect.data.Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        requireConfigured();
        if (schema == null) {
            throw new DataException("topic " + topic + ": a value without a Connect schema cannot be written as Avro; "
                    + "use a source connector or transform that gives its records schemas");
        }
        Schema avro = avroSchemas.computeIfAbsent(schema, SchemaTranslator::toAvro);
        Object avroValue;
        try {
            avroValue = ValueTranslator.toAvro(avro, schema, value);
        } catch (ClassCastException | DataException e) {
            throw new DataException("topic " + topic + ": the value does not match its Connect schema "
                    + schema.name() + ": " + e.getMessage(), e);
        }
        int id = schemaId(topic, avro);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<>(avro, GenericData.get()).write(avroValue, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new DataException("topic " + topic + ": cannot encode the value as Avro schema "
                    + avro.getFullName() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
        client = null;
    }

    private Reader reader(String topic, int id) {
        Schema writer = registryCall(topic, "schema id " + id, () -> client.getSchemaById(id));
        org.apache.kafka.connect.data.Schema connect;
        try {
            connect = SchemaTranslator.toConnect(writer);
        } catch (DataException e) {
            throw new DataException("topic " + topic + ": schema id " + id + " (" + writer.getFullName() + "): "
                    + e.getMessage(), e);
        }
        return new Reader(writer, connect, new GenericDatumReader<>(writer, writer, GenericData.get()));
    }

    private int schemaId(String topic, Schema avro) {
        String subject = TopicNameStrategy.subjectName(topic, isKey);
        String cacheKey = subject + '\u0000' + avro;
        Integer cached = ids.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        int id = registryCall(topic, "subject " + subject, () -> config.autoRegisterSchemas()
                ? client.register(subject, avro, config.normalizeSchemas())
                : client.lookup(subject, avro, config.normalizeSchemas()).id());
        ids.put(cacheKey, id);
        return id;
    }

    /** Registry failures in Connect's terms: an outage or a server error is retriable, a refusal of the data is not. */
    private static <T> T registryCall(String topic, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SchemaRegistryUnavailableException e) {
            throw new RetriableException("topic " + topic + ": the Schema Registry did not answer for " + what
                    + ": " + e.getMessage(), e);
        } catch (RestClientException e) {
            if (e.httpStatus() >= 500) {
                throw new RetriableException("topic " + topic + ": the Schema Registry failed for " + what + ": "
                        + e.getMessage(), e);
            }
            throw new DataException("topic " + topic + ": the Schema Registry refused " + what + ": "
                    + e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            throw new DataException("topic " + topic + ": " + what + ": " + e.getMessage(), e);
        }
    }

    private void requireConfigured() {
        if (client == null) {
            throw new IllegalStateException("FanoutAvroConverter is not configured: call configure(configs, isKey) "
                    + "with at least " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
        }
    }
}
