package dev.fanout.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.avro.ParentRef;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import dev.fanout.registry.client.SchemaRegistryUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** What the deserializer returns, and how it fails on each kind of bad input. */
class SpecificAvroDeserializerTest {

    private static final String TOPIC = "fanout.parents";
    private static final HexFormat HEX = HexFormat.of();
    private static final int PARENT_REF_ID = 7;
    /** ParentRef("t1", "r1") in Avro binary: each string is its zigzag length (2 is 0x04), then UTF-8. */
    private static final String PARENT_REF_AVRO = "04" + "7431" + "04" + "7231";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void nullBytesAreANullValueForTombstones() {
        // Given a deserializer
        SpecificAvroDeserializer<ParentRef> deserializer = configured(new SpecificAvroDeserializer<>(ParentRef.class, registry));

        // When null is deserialized, then the value is null and the registry was not asked
        assertThat(deserializer.deserialize(TOPIC, null)).isNull();
        assertThat(registry.calls("getSchemaById")).isZero();
    }

    @Test
    void withoutATypeTheValueIsReadIntoTheClassTheWriterSchemaNames() {
        // Given RunStatus bytes, and a deserializer told no type
        byte[] bytes = serialized(SampleRecords.runStatus());
        SpecificAvroDeserializer<SpecificRecord> deserializer = configured(new SpecificAvroDeserializer<>(registry));

        // When they are deserialized, then a RunStatus comes back
        assertThat(deserializer.deserialize(TOPIC, bytes)).isEqualTo(SampleRecords.runStatus());
    }

    @Test
    void theValueTypeCanBeConfiguredByClassName() {
        // Given RunStatus bytes, and the value type configured by name
        byte[] bytes = serialized(SampleRecords.runStatus());
        SpecificAvroDeserializer<SpecificRecord> deserializer = new SpecificAvroDeserializer<>(registry);
        deserializer.configure(config(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, RunStatus.class.getName())), false);

        // When they are deserialized, then a RunStatus comes back
        assertThat(deserializer.deserialize(TOPIC, bytes)).isInstanceOf(RunStatus.class);
    }

    @Test
    void eachWriterSchemaIsFetchedOnce() {
        // Given bytes of one schema id
        byte[] bytes = serialized(SampleRecords.runStatus());
        SpecificAvroDeserializer<RunStatus> deserializer = configured(new SpecificAvroDeserializer<>(RunStatus.class, registry));

        // When they are deserialized three times, then the registry was asked once
        for (int i = 0; i < 3; i++) {
            deserializer.deserialize(TOPIC, bytes);
        }
        assertThat(registry.calls("getSchemaById")).isEqualTo(1);
    }

    @Test
    void aWrongMagicByteIsReportedWithTheByteFoundAndTheTopic() {
        // Given bytes that start with 0x7b, as JSON text does
        byte[] bytes = "{\"tree_id\":\"t1\"}".getBytes();

        // When they are deserialized, then the error names the topic and the byte found
        assertThatThrownBy(() -> parentRefDeserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic " + TOPIC)
                .hasMessageContaining("unknown magic byte 0x7b");
    }

    @Test
    void aValueShorterThanTheHeaderIsReportedWithItsLength() {
        // Given three bytes
        byte[] bytes = {0, 0, 1};

        // When they are deserialized, then the error names the topic and the length
        assertThatThrownBy(() -> parentRefDeserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic " + TOPIC)
                .hasMessageContaining("3 byte(s) is too short");
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsReportedWithTheId() {
        // Given a header with schema id 999, which the registry does not have
        byte[] bytes = HEX.parseHex("00" + "000003e7" + PARENT_REF_AVRO);

        // When they are deserialized, then the error names the topic and the id
        assertThatThrownBy(() -> parentRefDeserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic " + TOPIC)
                .hasMessageContaining("schema id 999 is unknown to the Schema Registry");
    }

    @Test
    void avroThatEndsTooSoonIsReportedAsUndecodable() {
        // Given a valid header, then a string that announces 8 bytes and has 1
        byte[] bytes = HEX.parseHex("00" + "00000007" + "10" + "61");

        // When they are deserialized, then the error names the topic and the schema id
        assertThatThrownBy(() -> parentRefDeserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic " + TOPIC)
                .hasMessageContaining("cannot decode the Avro data written with schema id 7");
    }

    @Test
    void avroWithANegativeLengthIsReportedAsUndecodable() {
        // Given a valid header, then a string whose length decodes as -64
        byte[] bytes = HEX.parseHex("00" + "00000007" + "7f" + "61");

        // When they are deserialized, then the error names the schema id
        assertThatThrownBy(() -> parentRefDeserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode the Avro data written with schema id 7");
    }

    @Test
    void bytesLeftOverAfterTheValueAreReported() {
        // Given a whole ParentRef followed by two stray bytes
        byte[] bytes = HEX.parseHex("00" + "00000007" + PARENT_REF_AVRO + "0000");

        // When they are deserialized, then the error says the data does not fit the schema
        assertThatThrownBy(() -> parentRefDeserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic " + TOPIC)
                .hasMessageContaining("schema id 7 has bytes left over");
    }

    @Test
    void aWriterSchemaTheClassCannotReadIsReportedWithBothNames() {
        // Given RunStatus bytes arriving at a Trigger deserializer
        byte[] bytes = serialized(SampleRecords.runStatus());
        SpecificAvroDeserializer<Trigger> deserializer = configured(new SpecificAvroDeserializer<>(Trigger.class, registry));

        // When they are deserialized, then the error names both types
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("(dev.fanout.avro.RunStatus) cannot be read as dev.fanout.avro.Trigger");
    }

    @Test
    void withoutATypeAWriterSchemaWithoutAGeneratedClassIsReported() {
        // Given bytes written with a schema no class was generated from
        int id = registry.register("elsewhere-value", SchemaBuilder.record("Unknown").namespace("com.example")
                .fields().requiredString("x").endRecord());
        byte[] bytes = HEX.parseHex("00" + String.format("%08x", id) + "0261");
        SpecificAvroDeserializer<SpecificRecord> deserializer = configured(new SpecificAvroDeserializer<>(registry));

        // When they are deserialized, then the error names the schema and the setting that would help
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("no generated class com.example.Unknown")
                .hasMessageContaining(AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE);
    }

    @Test
    void anUnreachableRegistryIsNotMistakenForBadData() throws IOException {
        // Given a deserializer whose registry URL refuses connections
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SpecificAvroDeserializer<ParentRef> deserializer = new SpecificAvroDeserializer<>(ParentRef.class);
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + port,
                AvroSerdeConfig.RETRIES, 0), false);
        byte[] bytes = HEX.parseHex("00" + "00000007" + PARENT_REF_AVRO);

        // When valid-looking bytes are deserialized, then the failure is the registry's, not a SerializationException
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .isNotInstanceOf(SerializationException.class);
    }

    @Test
    void anUnconfiguredDeserializerSaysWhatIsMissing() {
        // Given a deserializer nobody configured
        SpecificAvroDeserializer<ParentRef> deserializer = new SpecificAvroDeserializer<>(ParentRef.class, registry);

        // When bytes are deserialized, then the error says to call configure with the registry URL
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, HEX.parseHex("00" + "00000007" + PARENT_REF_AVRO)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    }

    private SpecificAvroDeserializer<ParentRef> parentRefDeserializer() {
        registry.registerWithId(TOPIC + "-value", ParentRef.getClassSchema(), PARENT_REF_ID);
        return configured(new SpecificAvroDeserializer<>(ParentRef.class, registry));
    }

    private byte[] serialized(SpecificRecord record) {
        SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>(registry);
        serializer.configure(config(Map.of()), false);
        return serializer.serialize(TOPIC, record);
    }

    private static <D extends SpecificAvroDeserializer<?>> D configured(D deserializer) {
        deserializer.configure(config(Map.of()), false);
        return deserializer;
    }

    private static Map<String, Object> config(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081");
        return config;
    }
}
