package dev.fanout.registry.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.registry.server.StoreRecord.ConfigRecord;
import dev.fanout.registry.server.StoreRecord.DeleteSubjectRecord;
import dev.fanout.registry.server.StoreRecord.NoopRecord;
import dev.fanout.registry.server.StoreRecord.SchemaRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records must have the shapes of Confluent's KafkaStore, byte for byte in the keys. */
class StoreRecordCodecTest {

    private static final SchemaValue VALUE = SchemaValue.avro("orders-value", 1, 7, "\"string\"");

    @Test
    void aSchemaKeyIsConfluentsSchemaKeyWithMagicOne() {
        assertThat(text(StoreRecordCodec.key(new SchemaRecord("orders-value", 1, VALUE))))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":1,\"magic\":1}");
    }

    @Test
    void aSchemaValueCarriesSubjectVersionIdTypeSchemaAndDeleted() {
        assertThat(text(StoreRecordCodec.value(new SchemaRecord("orders-value", 1, VALUE))))
                .isEqualTo("{\"subject\":\"orders-value\",\"version\":1,\"id\":7,\"schemaType\":\"AVRO\","
                        + "\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
    }

    @Test
    void aSchemaValueWithReferencesListsThemAsConfluentDoesAndReadsBackTheSame() {
        SchemaValue value = SchemaValue.avro("events-value", 1, 9, "\"Ref\"",
                List.of(new SchemaReference("Ref", "ref-value", 2)));
        SchemaRecord record = new SchemaRecord("events-value", 1, value);

        byte[] bytes = StoreRecordCodec.value(record);

        assertThat(text(bytes)).isEqualTo("{\"subject\":\"events-value\",\"version\":1,\"id\":9,\"schemaType\":\"AVRO\","
                + "\"references\":[{\"name\":\"Ref\",\"subject\":\"ref-value\",\"version\":2}],"
                + "\"schema\":\"\\\"Ref\\\"\",\"deleted\":false}");
        assertThat(StoreRecordCodec.decode(StoreRecordCodec.key(record), bytes)).contains(record);
    }

    @Test
    void theGlobalConfigKeyHasANullSubject() {
        ConfigRecord global = new ConfigRecord(null, CompatibilityLevel.FULL);

        assertThat(text(StoreRecordCodec.key(global)))
                .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
        assertThat(text(StoreRecordCodec.value(global))).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
    }

    @Test
    void aSubjectConfigKeyNamesTheSubject() {
        assertThat(text(StoreRecordCodec.key(new ConfigRecord("orders-value", CompatibilityLevel.NONE))))
                .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"orders-value\",\"magic\":0}");
    }

    @Test
    void theNoopKeyHasNoSubjectAndNoValue() {
        assertThat(text(StoreRecordCodec.key(new NoopRecord()))).isEqualTo("{\"keytype\":\"NOOP\",\"magic\":0}");
        assertThat(StoreRecordCodec.value(new NoopRecord())).isNull();
    }

    @Test
    void aDeleteSubjectRecordCarriesTheLastDeletedVersion() {
        DeleteSubjectRecord delete = new DeleteSubjectRecord("orders-value", 3);

        assertThat(text(StoreRecordCodec.key(delete)))
                .isEqualTo("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"orders-value\",\"magic\":0}");
        assertThat(text(StoreRecordCodec.value(delete))).isEqualTo("{\"subject\":\"orders-value\",\"version\":3}");
    }

    @Test
    void permanentDeletesAndConfigRemovalsAreTombstones() {
        assertThat(StoreRecordCodec.value(new SchemaRecord("orders-value", 1, null))).isNull();
        assertThat(StoreRecordCodec.value(new ConfigRecord("orders-value", null))).isNull();
    }

    @Test
    void everyRecordReadsBackAsItself() {
        for (StoreRecord record : new StoreRecord[] {
                new SchemaRecord("orders-value", 1, VALUE),
                new SchemaRecord("orders-value", 2, null),
                new ConfigRecord(null, CompatibilityLevel.FORWARD_TRANSITIVE),
                new ConfigRecord("orders-value", null),
                new DeleteSubjectRecord("orders-value", 3),
                new NoopRecord()}) {
            assertThat(StoreRecordCodec.decode(StoreRecordCodec.key(record), StoreRecordCodec.value(record)))
                    .contains(record);
        }
    }

    @Test
    void aSchemaValueWithoutSchemaTypeIsAvroAsConfluentWritesIt() {
        // Given a record as Confluent writes an AVRO schema: no schemaType
        byte[] key = bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":2,\"magic\":1}");
        byte[] value = bytes("{\"subject\":\"s\",\"version\":2,\"id\":5,\"schema\":\"\\\"int\\\"\",\"deleted\":true}");

        // When / Then
        assertThat(StoreRecordCodec.decode(key, value))
                .contains(new SchemaRecord("s", 2, new SchemaValue("s", 2, 5, "AVRO", "\"int\"", true)));
    }

    @Test
    void aGlobalConfigKeyWithoutSubjectFieldIsGlobal() {
        // Given the key as newer Confluent versions write it, leaving out the null subject
        byte[] key = bytes("{\"keytype\":\"CONFIG\",\"magic\":0}");

        assertThat(StoreRecordCodec.decode(key, bytes("{\"compatibilityLevel\":\"NONE\"}")))
                .contains(new ConfigRecord(null, CompatibilityLevel.NONE));
    }

    @Test
    void keyTypesThisRegistryDoesNotUseAreSkipped() {
        byte[] key = bytes("{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}");

        assertThat(StoreRecordCodec.decode(key, bytes("{\"mode\":\"READWRITE\"}"))).isEmpty();
    }

    @Test
    void bytesThatAreNotJsonAreRejected() {
        assertThatThrownBy(() -> StoreRecordCodec.decode(bytes("not json"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
