package dev.fanout.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.connect.data.SchemaTranslator;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import dev.fanout.serde.AvroSerdeConfig;
import dev.fanout.serde.ContractSamples;
import dev.fanout.serde.SpecificAvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class FanoutAvroConverterDataTest {

    private static final String TOPIC = "fanout.data";
    private static final Map<String, String> CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081");
    private static final Schema LOGICAL = new Schema.Parser().parse("""
            {"type": "record", "name": "Payment", "namespace": "shop.avro", "doc": "One payment.",
             "fields": [
               {"name": "paid_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
               {"name": "due_on", "type": {"type": "int", "logicalType": "date"}},
               {"name": "cutoff", "type": {"type": "int", "logicalType": "time-millis"}},
               {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
               {"name": "fee", "type": {"type": "fixed", "name": "Fee", "size": 8, "logicalType": "decimal",
                 "precision": 10, "scale": 3}},
               {"name": "note", "type": ["null", "string"], "default": null, "doc": "Free text."},
               {"name": "tags", "type": {"type": "map", "values": "long"}, "default": {}}
             ]}""");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void aTreeDoneBecomesAStructNamedByItsAvroFullNameWithItsStatusAsAnEnumString() {
        // Given a TreeDone as the pipeline writes it
        dev.fanout.avro.TreeDone done = ContractSamples.treeDone();
        byte[] bytes;
        try (SpecificAvroSerde<dev.fanout.avro.TreeDone> serde = new SpecificAvroSerde<>(dev.fanout.avro.TreeDone.class, registry)) {
            serde.configure(CONFIG, false);
            bytes = serde.serializer().serialize(TOPIC, done);
        }

        // When Connect reads it
        SchemaAndValue data = converter().toConnectData(TOPIC, bytes);

        // Then the struct has the record's name and doc, the status is a string whose symbols are parameters,
        // the counts a nested struct, the times Connect timestamps and the failures an array of structs
        org.apache.kafka.connect.data.Schema schema = data.schema();
        assertThat(schema.name()).isEqualTo("dev.fanout.avro.TreeDone");
        assertThat(schema.doc()).startsWith("A whole execution tree is done");
        org.apache.kafka.connect.data.Schema status = schema.field("status").schema();
        assertThat(status.type()).isEqualTo(org.apache.kafka.connect.data.Schema.Type.STRING);
        assertThat(status.parameters()).containsEntry(SchemaTranslator.ENUM, "dev.fanout.avro.CompletionStatus")
                .containsEntry(SchemaTranslator.ENUM_SYMBOL_PREFIX + "TIMED_OUT", "TIMED_OUT");
        assertThat(schema.field("counts").schema().field("total").schema().defaultValue()).isEqualTo(0L);
        assertThat(schema.field("started_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(schema.field("failures").schema().defaultValue()).isEqualTo(List.of());
        Struct value = (Struct) data.value();
        assertThat(value.getString("tree_id")).isEqualTo(done.getTreeId());
        assertThat(value.getString("status")).isEqualTo(done.getStatus().name());
        assertThat(value.getStruct("counts").getInt64("failed")).isEqualTo(done.getCounts().getFailed());
        assertThat(((java.util.Date) value.get("finished_at")).toInstant()).isEqualTo(done.getFinishedAt());
        assertThat(value.getArray("failures")).hasSize(done.getFailures().size());
    }

    @Test
    void logicalTypesBecomeConnectLogicalTypesAndComeBackAsTheSameAvro() throws IOException {
        // Given a record with every logical type Connect knows, an optional field and a map
        GenericData.Record payment = new GenericData.Record(LOGICAL);
        Instant paidAt = Instant.parse("2025-03-14T09:26:53.589Z");
        payment.put("paid_at", paidAt.toEpochMilli());
        payment.put("due_on", (int) LocalDate.parse("2025-04-01").toEpochDay());
        payment.put("cutoff", 17 * 3_600_000 + 30 * 60_000);
        Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
        Schema amountSchema = LOGICAL.getField("amount").schema();
        payment.put("amount", decimals.toBytes(new BigDecimal("1234.50"), amountSchema, amountSchema.getLogicalType()));
        Schema feeSchema = LOGICAL.getField("fee").schema();
        payment.put("fee", decimals.toFixed(new BigDecimal("0.125"), feeSchema, feeSchema.getLogicalType()));
        payment.put("tags", Map.of("priority", 2L));
        byte[] bytes = write(payment);
        FanoutAvroConverter converter = converter();

        // When Connect reads it and writes it back
        SchemaAndValue data = converter.toConnectData(TOPIC, bytes);
        byte[] back = converter.fromConnectData(TOPIC, data.schema(), data.value());

        // Then each value has Connect's logical type, and the bytes are the same
        Struct value = (Struct) data.value();
        org.apache.kafka.connect.data.Schema schema = data.schema();
        assertThat(schema.field("paid_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(((java.util.Date) value.get("paid_at")).toInstant()).isEqualTo(paidAt);
        assertThat(schema.field("due_on").schema().name()).isEqualTo(Date.LOGICAL_NAME);
        assertThat(((java.util.Date) value.get("due_on")).toInstant()).isEqualTo(Instant.parse("2025-04-01T00:00:00Z"));
        assertThat(schema.field("cutoff").schema().name()).isEqualTo(Time.LOGICAL_NAME);
        assertThat(((java.util.Date) value.get("cutoff")).getTime()).isEqualTo(63_000_000L);
        assertThat(schema.field("amount").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(schema.field("amount").schema().parameters())
                .containsEntry(Decimal.SCALE_FIELD, "2").containsEntry(SchemaTranslator.DECIMAL_PRECISION, "12");
        assertThat(value.get("amount")).isEqualTo(new BigDecimal("1234.50"));
        assertThat(value.get("fee")).isEqualTo(new BigDecimal("0.125"));
        assertThat(schema.field("note").schema().isOptional()).isTrue();
        assertThat(schema.field("note").schema().parameters()).containsEntry(SchemaTranslator.FIELD_DOC, "Free text.");
        assertThat(value.get("note")).isNull();
        assertThat(value.getMap("tags")).isEqualTo(Map.of("priority", 2L));
        assertThat(back).isEqualTo(bytes);
        assertThat(SchemaTranslator.toAvro(schema).toString(true)).isEqualTo(LOGICAL.toString(true));
    }

    private FanoutAvroConverter converter() {
        FanoutAvroConverter converter = new FanoutAvroConverter(registry);
        converter.configure(CONFIG, false);
        return converter;
    }

    private byte[] write(GenericData.Record record) throws IOException {
        int id = registry.register(TOPIC + "-value", record.getSchema());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericData.Record>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

}
