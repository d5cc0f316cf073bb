package dev.fanout.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.ReleasedSchemas;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Data written by producers on other schema versions still reads into the current classes. */
class SchemaEvolutionTest {

    private static final String TOPIC = "fanout.artifact-events";
    private static final String SUBJECT = TOPIC + "-value";
    private static final long PRODUCED_AT_MILLIS = SampleRecords.PRODUCED_AT.toEpochMilli();

    /** ArtifactEvent as an early producer knew it: no fan_out options, no headers. */
    private static final Schema EARLIER_ARTIFACT_EVENT = new Schema.Parser().parse("""
            {"type": "record", "name": "ArtifactEvent", "namespace": "dev.fanout.avro", "fields": [
              {"name": "event_id", "type": "string"},
              {"name": "artifact", "type": "string"},
              {"name": "event_type", "type": "string"},
              {"name": "schema_version", "type": "string"},
              {"name": "payload", "type": "string"},
              {"name": "produced_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "source_repo", "type": "string"},
              {"name": "parent", "type": ["null", {"type": "record", "name": "ParentRef", "fields": [
                {"name": "tree_id", "type": "string"}, {"name": "run_id", "type": "string"}]}], "default": null}
            ]}""");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final SpecificAvroDeserializer<ArtifactEvent> deserializer =
            new SpecificAvroDeserializer<>(ArtifactEvent.class, registry);

    SchemaEvolutionTest() {
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081"), false);
    }

    @Test
    void anEventWrittenWithAnEarlierSchemaReadsWithTheNewFieldsAtTheirDefaults() throws IOException {
        // Given an event written with the earlier schema, registered as the subject's first version
        GenericRecord earlier = new GenericRecordBuilder(EARLIER_ARTIFACT_EVENT)
                .set("event_id", "evt-1").set("artifact", "acme/lib:jar").set("event_type", "published")
                .set("schema_version", "1.0.0").set("payload", "{}").set("produced_at", PRODUCED_AT_MILLIS)
                .set("source_repo", "acme/lib").build();
        byte[] bytes = confluentBytes(registry.register(SUBJECT, EARLIER_ARTIFACT_EVENT), EARLIER_ARTIFACT_EVENT, earlier);

        // When the current class reads it
        ArtifactEvent event = deserializer.deserialize(TOPIC, bytes);

        // Then the old fields come through and the new ones are null, their default
        assertThat(event.getEventId()).isEqualTo("evt-1");
        assertThat(event.getProducedAt()).isEqualTo(SampleRecords.PRODUCED_AT);
        assertThat(event.getParent()).isNull();
        assertThat(event.getFanOut()).isNull();
        assertThat(event.getHeaders()).isNull();
    }

    @Test
    void anEventWrittenWithTheReleasedSchemaReadsIntoTheCurrentClass() throws IOException {
        // Given an event written with ArtifactEvent as released in 0.1.0
        Schema released = ReleasedSchemas.of("0.1.0").get("dev.fanout.avro.ArtifactEvent");
        GenericRecord event = new GenericRecordBuilder(released)
                .set("event_id", "evt-2").set("artifact", "acme/lib:jar").set("event_type", "published")
                .set("schema_version", "1.1.0").set("payload", "{\"v\":2}").set("produced_at", PRODUCED_AT_MILLIS)
                .set("source_repo", "acme/lib").set("headers", Map.of("traceparent", "00-abc-01")).build();
        byte[] bytes = confluentBytes(registry.register(SUBJECT, released), released, event);

        // When the current class reads it, then every field comes through
        ArtifactEvent read = deserializer.deserialize(TOPIC, bytes);
        assertThat(read.getEventId()).isEqualTo("evt-2");
        assertThat(read.getPayload()).isEqualTo("{\"v\":2}");
        assertThat(read.getHeaders()).containsEntry("traceparent", "00-abc-01");
    }

    @Test
    void anEventWrittenWithALaterSchemaReadsWithoutTheFieldTheCurrentClassDoesNotKnow() throws IOException {
        // Given an event written by a newer producer whose schema has a field "labels" first
        Schema later = withLeadingField(ArtifactEvent.getClassSchema(),
                new Schema.Field("labels", Schema.createArray(Schema.create(Schema.Type.STRING)), null, List.of()));
        registry.register(SUBJECT, ArtifactEvent.getClassSchema());
        GenericRecordBuilder builder = new GenericRecordBuilder(later).set("labels", List.of("hotfix", "security"));
        ArtifactEvent sample = SampleRecords.artifactEvent();
        builder.set("event_id", sample.getEventId()).set("artifact", sample.getArtifact())
                .set("event_type", sample.getEventType()).set("schema_version", sample.getSchemaVersion())
                .set("payload", sample.getPayload()).set("produced_at", PRODUCED_AT_MILLIS)
                .set("source_repo", sample.getSourceRepo());
        byte[] bytes = confluentBytes(registry.register(SUBJECT, later), later, builder.build());

        // When the current class reads it, then the known fields come through and the new one is skipped
        ArtifactEvent read = deserializer.deserialize(TOPIC, bytes);
        assertThat(read.getEventId()).isEqualTo(sample.getEventId());
        assertThat(read.getSourceRepo()).isEqualTo(sample.getSourceRepo());
        assertThat(read.getProducedAt()).isEqualTo(SampleRecords.PRODUCED_AT);
    }

    /** What any Confluent serializer writes: the header, then Avro's binary encoding with the writer schema. */
    private static byte[] confluentBytes(int id, Schema writer, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer, GenericData.get()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema withLeadingField(Schema record, Schema.Field first) {
        List<Schema.Field> fields = new ArrayList<>();
        fields.add(first);
        for (Schema.Field field : record.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
