package dev.fanout.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.avro.Counts;
import dev.fanout.avro.ParentRef;
import dev.fanout.registry.client.CachingSchemaRegistryClient;
import dev.fanout.registry.client.CompatibilityLevel;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SpecificAvroSerializerTest {

    private static final String TOPIC = "fanout.parents";
    /** ParentRef as a later version might define it: one more optional field, at the front. */
    private static final Schema PARENT_REF_WITH_NOTE = SchemaBuilder.record("ParentRef").namespace("dev.fanout.avro")
            .fields().optionalString("note").requiredString("tree_id").requiredString("run_id").endRecord();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ParentRef record = new ParentRef("tree-1", "run-1");

    @Test
    void aValueIsRegisteredUnderTheTopicsValueSubject() {
        // Given a value serializer with the default settings
        SpecificAvroSerializer<ParentRef> serializer = serializer(Map.of(), false);

        // When a record is serialized
        byte[] bytes = serializer.serialize(TOPIC, record);

        // Then its schema was registered under <topic>-value, and the bytes carry that id
        assertThat(registry.getAllSubjects()).containsExactly(TOPIC + "-value");
        assertThat(idIn(bytes)).isEqualTo(registry.lookup(TOPIC + "-value", ParentRef.getClassSchema()).id());
    }

    @Test
    void aKeyIsRegisteredUnderTheTopicsKeySubject() {
        // Given a key serializer
        SpecificAvroSerializer<ParentRef> serializer = serializer(Map.of(), true);

        // When a record is serialized, then its schema is under <topic>-key
        serializer.serialize(TOPIC, record);
        assertThat(registry.getAllSubjects()).containsExactly(TOPIC + "-key");
    }

    @Test
    void withoutAutoRegistrationTheIdOfTheRegisteredSchemaIsLookedUp() {
        // Given the schema registered beforehand, and a serializer that must not register
        int id = registry.register(TOPIC + "-value", ParentRef.getClassSchema());
        SpecificAvroSerializer<ParentRef> serializer = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        // When a record is serialized
        byte[] bytes = serializer.serialize(TOPIC, record);

        // Then the id was looked up, not registered
        assertThat(idIn(bytes)).isEqualTo(id);
        assertThat(registry.calls("register")).isEqualTo(1);
        assertThat(registry.calls("lookup")).isEqualTo(1);
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaFailsNamingTheSubject() {
        // Given a serializer that must not register, and an empty registry
        SpecificAvroSerializer<ParentRef> serializer = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        // When a record is serialized, then it fails naming topic, schema and subject
        assertThatThrownBy(() -> serializer.serialize(TOPIC, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic " + TOPIC)
                .hasMessageContaining("dev.fanout.avro.ParentRef")
                .hasMessageContaining("subject " + TOPIC + "-value")
                .hasMessageContaining("40401");
    }

    @Test
    void aSchemaTheSubjectsCompatibilityRefusesFailsWithTheRegistrysReason() {
        // Given the subject holds a ParentRef without run_id, which the current one cannot read (BACKWARD)
        registry.register(TOPIC + "-value", SchemaBuilder.record("ParentRef").namespace("dev.fanout.avro")
                .fields().requiredString("tree_id").endRecord());
        SpecificAvroSerializer<ParentRef> serializer = serializer(Map.of(), false);

        // When a current record is serialized, then the registry's 409 surfaces as a SerializationException
        assertThatThrownBy(() -> serializer.serialize(TOPIC, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("run_id");
    }

    @Test
    void withUseLatestVersionTheRecordIsWrittenWithTheSubjectsLatestSchema() throws IOException {
        // Given the subject's latest version has a field the record's class does not know
        registry.register(TOPIC + "-value", ParentRef.getClassSchema());
        int latestId = registry.register(TOPIC + "-value", PARENT_REF_WITH_NOTE);
        SpecificAvroSerializer<ParentRef> serializer = serializer(Map.of(
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false, AvroSerdeConfig.USE_LATEST_VERSION, true), false);

        // When a record is serialized
        byte[] bytes = serializer.serialize(TOPIC, record);

        // Then the bytes carry the latest id and decode with the latest schema, the new field at its default
        assertThat(idIn(bytes)).isEqualTo(latestId);
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(PARENT_REF_WITH_NOTE).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, WireFormat.HEADER_SIZE, bytes.length), null));
        assertThat(decoded.get("note")).isNull();
        assertThat(decoded.get("tree_id")).hasToString("tree-1");
        assertThat(decoded.get("run_id")).hasToString("run-1");
    }

    @Test
    void withUseLatestVersionALatestSchemaThatCannotHoldTheRecordFails() {
        // Given the subject's latest version requires a field the record does not have
        registry.setCompatibility(TOPIC + "-value", dev.fanout.registry.client.CompatibilityLevel.NONE);
        registry.register(TOPIC + "-value", SchemaBuilder.record("ParentRef").namespace("dev.fanout.avro")
                .fields().requiredString("tree_id").requiredString("run_id").requiredInt("depth").endRecord());
        SpecificAvroSerializer<ParentRef> serializer = serializer(Map.of(
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false, AvroSerdeConfig.USE_LATEST_VERSION, true), false);

        // When a record is serialized, then it fails naming the setting, the subject and the missing field
        assertThatThrownBy(() -> serializer.serialize(TOPIC, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(AvroSerdeConfig.USE_LATEST_VERSION)
                .hasMessageContaining("subject " + TOPIC + "-value")
                .hasMessageContaining("depth");
    }

    @Test
    void aRecordWithARequiredFieldLeftNullFailsNamingTheField() {
        // Given a ParentRef whose required tree_id is null
        SpecificAvroSerializer<ParentRef> serializer = serializer(Map.of(), false);
        ParentRef incomplete = new ParentRef(null, "run-1");

        // When it is serialized, then the error names the topic, the type and the field
        assertThatThrownBy(() -> serializer.serialize(TOPIC, incomplete))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic " + TOPIC)
                .hasMessageContaining("cannot write dev.fanout.avro.ParentRef")
                .hasMessageContaining("tree_id");
    }

    @Test
    void aNullRecordIsWrittenAsNullForTombstones() {
        // Given a serializer
        SpecificAvroSerializer<ParentRef> serializer = serializer(Map.of(), false);

        // When null is serialized, then the bytes are null and the registry was not asked
        assertThat(serializer.serialize(TOPIC, null)).isNull();
        assertThat(registry.calls("register")).isZero();
    }

    @Test
    void aSerializerBehindACachingClientRegistersEachSchemaOnce() {
        // Given a serializer whose client caches
        SpecificAvroSerializer<ParentRef> serializer =
                new SpecificAvroSerializer<>(new CachingSchemaRegistryClient(registry, 100));
        serializer.configure(config(Map.of()), false);

        // When many records are serialized
        for (int i = 0; i < 5; i++) {
            serializer.serialize(TOPIC, new ParentRef("tree-" + i, "run-" + i));
        }

        // Then the registry was asked once
        assertThat(registry.calls("register")).isEqualTo(1);
    }

    @Test
    void eachTopicAndEachSchemaKeepsItsOwnIdAfterTheFirstRecord() {
        // Given a serializer of several record types, without a caching client, and a topic that takes any
        // schema
        SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>(registry);
        serializer.configure(config(Map.of()), false);
        registry.setCompatibility(TOPIC + "-value", CompatibilityLevel.NONE);

        // When records of two types go to one topic, and one type to another topic, twice each
        byte[][] first = {serializer.serialize(TOPIC, record), serializer.serialize(TOPIC, new Counts()),
                serializer.serialize("fanout.other", record)};
        byte[][] again = {serializer.serialize(TOPIC, record), serializer.serialize(TOPIC, new Counts()),
                serializer.serialize("fanout.other", record)};

        // Then each carries the id its subject gave its schema, the second time as the first, and the
        // bytes are the same (the reused buffer leaves nothing behind); the registry was asked once per
        // topic and schema
        assertThat(idIn(first[0])).isEqualTo(registry.lookup(TOPIC + "-value", ParentRef.getClassSchema()).id());
        assertThat(idIn(first[1])).isEqualTo(registry.lookup(TOPIC + "-value", Counts.getClassSchema()).id());
        assertThat(idIn(first[2])).isEqualTo(registry.lookup("fanout.other-value", ParentRef.getClassSchema()).id());
        assertThat(idIn(first[0])).isNotEqualTo(idIn(first[1]));
        for (int i = 0; i < first.length; i++) {
            assertThat(again[i]).isEqualTo(first[i]);
        }
        assertThat(registry.calls("register")).isEqualTo(3);
    }

    @Test
    void anUnconfiguredSerializerSaysWhatIsMissing() {
        // Given a serializer nobody configured
        SpecificAvroSerializer<ParentRef> serializer = new SpecificAvroSerializer<>(registry);

        // When a record is serialized, then the error says to call configure with the registry URL
        assertThatThrownBy(() -> serializer.serialize(TOPIC, record))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configure")
                .hasMessageContaining(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    }

    private SpecificAvroSerializer<ParentRef> serializer(Map<String, Object> settings, boolean isKey) {
        SpecificAvroSerializer<ParentRef> serializer = new SpecificAvroSerializer<>(registry);
        serializer.configure(config(settings), isKey);
        return serializer;
    }

    private static Map<String, Object> config(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081");
        return config;
    }

    private static int idIn(byte[] bytes) {
        assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }
}
