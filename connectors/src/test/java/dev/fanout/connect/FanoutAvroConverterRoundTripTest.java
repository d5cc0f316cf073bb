package dev.fanout.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.connect.data.SchemaTranslator;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import dev.fanout.serde.AvroSerdeConfig;
import dev.fanout.serde.ContractSamples;
import dev.fanout.serde.SpecificAvroSerde;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FanoutAvroConverterRoundTripTest {

    private static final String TOPIC = "fanout.round-trip";
    private static final Map<String, String> CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    static Stream<Named<SpecificRecord>> contract() {
        return ContractSamples.all().stream().map(r -> Named.of(r.getSchema().getName(), r));
    }

    @ParameterizedTest(name = "a {0} read by Connect is written back with the same bytes and schema id")
    @MethodSource("contract")
    void aContractRecordReadByConnectIsWrittenBackUnchanged(SpecificRecord record) {
        // Given a record as the pipeline writes it
        byte[] written = serialize(record);
        FanoutAvroConverter converter = converter();

        // When Connect reads it and writes it again
        SchemaAndValue data = converter.toConnectData(TOPIC, written);
        byte[] rewritten = converter.fromConnectData(TOPIC, data.schema(), data.value());

        // Then the bytes are the same: same schema id, same Avro
        assertThat(data.value()).isInstanceOf(Struct.class);
        assertThat(rewritten).isEqualTo(written);
        assertThat(deserialize(record, rewritten)).isEqualTo(record);
    }

    @ParameterizedTest(name = "the schema of a {0} survives the way to Connect and back, docs and defaults included")
    @MethodSource("contract")
    void aContractSchemaSurvivesTheWayToConnectAndBack(SpecificRecord record) {
        // Given the writer schema as the registry holds it
        org.apache.avro.Schema avro = record.getSchema();

        // When it becomes a Connect schema and an Avro schema again
        org.apache.avro.Schema back = SchemaTranslator.toAvro(SchemaTranslator.toConnect(avro));

        // Then nothing is lost: the JSON text, with docs, defaults and properties, is the same
        assertThat(back.toString(true)).isEqualTo(avro.toString(true));
    }

    @ParameterizedTest(name = "a {0} written by Connect is read by the pipeline's deserializer")
    @MethodSource("contract")
    void aContractRecordWrittenByConnectIsReadByThePipeline(SpecificRecord record) {
        // Given Connect data made from a record (as a source connector would produce it)
        FanoutAvroConverter reader = converter();
        SchemaAndValue data = reader.toConnectData(TOPIC, serialize(record));
        InMemorySchemaRegistryClient otherRegistry = new InMemorySchemaRegistryClient();
        FanoutAvroConverter writer = new FanoutAvroConverter(otherRegistry);
        writer.configure(CONFIG, false);

        // When a converter with an empty registry writes it
        byte[] bytes = writer.fromConnectData("fanout.from-connect", data.schema(), data.value());

        // Then it registered the schema and the generated class reads the record back
        assertThat(otherRegistry.getAllSubjects()).containsExactly("fanout.from-connect-value");
        try (SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>(classOf(record), otherRegistry)) {
            serde.configure(CONFIG, false);
            assertThat(serde.deserializer().deserialize("fanout.from-connect", bytes)).isEqualTo(record);
        }
    }

    private FanoutAvroConverter converter() {
        FanoutAvroConverter converter = new FanoutAvroConverter(registry);
        converter.configure(CONFIG, false);
        return converter;
    }

    private byte[] serialize(SpecificRecord record) {
        try (SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>(classOf(record), registry)) {
            serde.configure(CONFIG, false);
            return serde.serializer().serialize(TOPIC, record);
        }
    }

    private SpecificRecord deserialize(SpecificRecord like, byte[] bytes) {
        try (SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>(classOf(like), registry)) {
            serde.configure(CONFIG, false);
            return serde.deserializer().deserialize(TOPIC, bytes);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<SpecificRecord> classOf(SpecificRecord record) {
        return (Class<SpecificRecord>) record.getClass();
    }
}
