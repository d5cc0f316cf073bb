package dev.fanout.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class FieldsToJsonTest {

    private static final Schema FAILURE = SchemaBuilder.struct().name("dev.fanout.avro.Failure")
            .field("run_id", Schema.STRING_SCHEMA)
            .field("item_index", Schema.OPTIONAL_INT32_SCHEMA)
            .field("error", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema DONE = SchemaBuilder.struct().name("dev.fanout.avro.TreeDone")
            .field("tree_id", Schema.STRING_SCHEMA)
            .field("finished_at", Timestamp.SCHEMA)
            .field("failures", SchemaBuilder.array(FAILURE).build()).build();
    private static final Instant FINISHED = Instant.parse("2025-03-14T09:26:53.589Z");

    @Test
    void theNamedFieldBecomesItsJsonTextAndTheOthersStayAsTheyWere() {
        // Given a TreeDone-like struct with one failure
        FieldsToJson<SinkRecord> transform = transform("failures");
        Struct failure = new Struct(FAILURE).put("run_id", "run-1").put("item_index", 1).put("error", "boom");
        Struct done = new Struct(DONE).put("tree_id", "t-1").put("finished_at", Date.from(FINISHED))
                .put("failures", List.of(failure));

        // When the transform applies
        SinkRecord out = transform.apply(new SinkRecord("fanout.tree-done", 0, Schema.STRING_SCHEMA, "t-1", DONE, done, 7));

        // Then failures is a string column holding JSON, and the other fields are untouched
        Struct value = (Struct) out.value();
        assertThat(out.valueSchema().name()).isEqualTo("dev.fanout.avro.TreeDone");
        assertThat(out.valueSchema().field("failures").schema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(value.getString("failures")).isEqualTo("[{\"run_id\":\"run-1\",\"item_index\":1,\"error\":\"boom\"}]");
        assertThat(value.get("finished_at")).isEqualTo(Date.from(FINISHED));
        assertThat(out.key()).isEqualTo("t-1");
        assertThat(out.kafkaOffset()).isEqualTo(7);
    }

    @Test
    void aFieldTheValueDoesNotHaveIsNamedInTheError() {
        FieldsToJson<SinkRecord> transform = transform("results");
        Struct done = new Struct(DONE).put("tree_id", "t-1").put("finished_at", Date.from(FINISHED)).put("failures", List.of());

        assertThatThrownBy(() -> transform.apply(new SinkRecord("fanout.tree-done", 0, null, "t-1", DONE, done, 0)))
                .isInstanceOf(DataException.class).hasMessageContaining("has no field results")
                .hasMessageContaining("[tree_id, finished_at, failures]");
    }

    @Test
    void aTombstonePassesUnchangedAndAnEmptyListOfFieldsIsRefused() {
        SinkRecord tombstone = new SinkRecord("fanout.tree-done", 0, null, "t-1", null, null, 0);
        assertThat(transform("failures").apply(tombstone)).isSameAs(tombstone);
        assertThatThrownBy(() -> new FieldsToJson<SinkRecord>().configure(Map.of(FieldsToJson.FIELDS, "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("name at least one field");
    }

    @Test
    void valueToJsonWritesTheWholeValueAsOneLineWithIsoTimes() {
        // Given the same struct
        Struct done = new Struct(DONE).put("tree_id", "t-1").put("finished_at", Date.from(FINISHED)).put("failures", List.of());

        // When ValueToJson applies
        SinkRecord out = new ValueToJson<SinkRecord>().apply(new SinkRecord("fanout.tree-done", 0, null, "t-1", DONE, done, 0));

        // Then the value is one line of JSON, its timestamp in ISO-8601
        assertThat(out.valueSchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(out.value()).isEqualTo("{\"tree_id\":\"t-1\",\"finished_at\":\"2025-03-14T09:26:53.589Z\",\"failures\":[]}");
    }

    private static FieldsToJson<SinkRecord> transform(String fields) {
        FieldsToJson<SinkRecord> transform = new FieldsToJson<>();
        transform.configure(Map.of(FieldsToJson.FIELDS, fields));
        return transform;
    }
}
