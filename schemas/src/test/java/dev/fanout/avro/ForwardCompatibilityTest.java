package dev.fanout.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Readers that have not upgraded survive what current writers send (FORWARD, against every release):
 * workers on an old SDK read today's triggers, an old coordinator reads today's worker reports. New
 * fields are skipped by old readers; an enum that gains a symbol breaks them, unless it has a default.
 */
class ForwardCompatibilityTest {

    @TestFactory
    Stream<DynamicTest> everyReleasedSchemaReadsDataWrittenWithTheCurrentOne() {
        return ReleasedSchemas.versions().stream().flatMap(version -> ReleasedSchemas.of(version).entrySet().stream()
                .map(released -> dynamicTest(released.getKey() + " as released in " + version + " reads current data",
                        () -> {
                            Schema current = BackwardCompatibilityTest.currentSchemaOf(released.getKey(), version);
                            SchemaPairCompatibility result =
                                    SchemaCompatibility.checkReaderWriterCompatibility(released.getValue(), current);
                            assertThat(result.getType()).as("%s (released %s) cannot read data written with the current "
                                    + "schema: %s. Give new fields a default and never add a symbol to an enum "
                                    + "without a default", released.getKey(), version, result.getResult()
                                    .getIncompatibilities().stream().map(i -> i.getType() + " at " + i.getLocation())
                                    .collect(Collectors.joining("; ")))
                                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
                        })));
    }

    @Test
    void aReaderOfTheFirstReleaseReadsAStartedReportWithProgressAsAPlainStartedReport() throws IOException {
        // Given a STARTED report carrying progress, written with the current schema
        RunStatus started = RunStatus.newBuilder().setRunId("run-1").setTreeId("tree-1").setAttempt(2)
                .setStatus(RunState.STARTED).setReportedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setProgress(RunProgress.newBuilder().setMessage("compiled 3 of 7 modules")
                        .setDetails("{\"done\":3,\"of\":7}").build())
                .build();

        // When a reader of 0.1.0 reads it
        GenericRecord read = readAs("0.1.0", "dev.fanout.avro.RunStatus", RunStatus.getClassSchema(), started);

        // Then it sees the report it knows, and no progress
        assertThat(read.get("run_id").toString()).isEqualTo("run-1");
        assertThat(read.get("attempt")).isEqualTo(2);
        assertThat(read.get("status").toString()).isEqualTo("STARTED");
        assertThat(read.getSchema().getField("progress")).isNull();
    }

    @Test
    void aWorkerOfTheFirstReleaseReadsATriggerWithAHeartbeatTimeout() throws IOException {
        // Given a trigger carrying the subscription's heartbeat timeout
        ArtifactEvent event = ArtifactEvent.newBuilder().setEventId("evt-1").setArtifact("acme/lib:jar")
                .setEventType("published").setSchemaVersion("1.0.0").setPayload("{}")
                .setProducedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setSourceRepo("acme/lib").build();
        Trigger trigger = Trigger.newBuilder().setRunId("run-1").setTreeId("evt-1").setFanOutId("evt-1")
                .setSubscriptionId("app/build").setRepo("app").setWorkflow("build").setInputs(Map.of())
                .setPath(List.of()).setEvent(event).setHeartbeatTimeoutMs(30_000L).build();

        // When a worker reading with 0.1.0 reads it, then it has its run, without the timeout
        GenericRecord read = readAs("0.1.0", "dev.fanout.avro.Trigger", Trigger.getClassSchema(), trigger);
        assertThat(read.get("run_id").toString()).isEqualTo("run-1");
        assertThat(read.getSchema().getField("heartbeat_timeout_ms")).isNull();
    }

    @Test
    void aReaderOfTheFirstReleaseReadsACancelledTreeAsFailedWithItsCompensationsLeftOut() throws IOException {
        // Given the TreeDone of a cancelled tree whose succeeded children were compensated
        TreeDone cancelled = TreeDone.newBuilder().setTreeId("tree-1").setArtifact("acme/lib:jar")
                .setStatus(CompletionStatus.FAILED)
                .setCounts(Counts.newBuilder().setTotal(3).setSucceeded(1).setSkipped(2).setCompensated(1).build())
                .setStartedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setFinishedAt(Instant.ofEpochMilli(1_700_000_060_000L))
                .setCancelled(Cancellation.newBuilder().setReason("release withdrawn").setRequestedBy("alice")
                        .setRequestedAt(Instant.ofEpochMilli(1_700_000_030_000L)).build())
                .build();

        // When a reader of 0.1.0 reads it
        GenericRecord read = readAs("0.1.0", "dev.fanout.avro.TreeDone", TreeDone.getClassSchema(), cancelled);

        // Then it sees a FAILED tree with its counts, and nothing of the cancel or the compensations
        assertThat(read.get("status").toString()).isEqualTo("FAILED");
        assertThat(((GenericRecord) read.get("counts")).get("skipped")).isEqualTo(2L);
        assertThat(read.getSchema().getField("cancelled")).isNull();
        assertThat(((GenericRecord) read.get("counts")).getSchema().getField("compensated")).isNull();
    }

    @Test
    void aWorkerOfTheFirstReleaseReadsACompensationAsATriggerOfTheCompensationWorkflow() throws IOException {
        ArtifactEvent event = ArtifactEvent.newBuilder().setEventId("evt-1").setArtifact("acme/lib:jar")
                .setEventType("published").setSchemaVersion("1.0.0").setPayload("{}")
                .setProducedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setSourceRepo("acme/lib").build();
        Trigger undo = Trigger.newBuilder().setRunId("c-1").setTreeId("evt-1").setFanOutId("evt-1")
                .setSubscriptionId("app/deploy").setRepo("app").setWorkflow("undeploy").setInputs(Map.of())
                .setPath(List.of()).setEvent(event).setCompensation(CompensationOf.newBuilder().setRunId("r-1")
                        .setWorkflow("deploy").setOutput("{}").setReason("fan-out FAILED").build()).build();

        GenericRecord read = readAs("0.1.0", "dev.fanout.avro.Trigger", Trigger.getClassSchema(), undo);

        assertThat(read.get("workflow").toString()).isEqualTo("undeploy");
        assertThat(read.getSchema().getField("compensation")).isNull();
    }

    @Test
    void aWorkerOfTheFirstReleaseReadsAForeachTriggerWhoseEventLeavesItsListOut() throws IOException {
        // Given a foreach child's trigger: its item, and the event without the list, saying so and where it is
        ArtifactEvent cut = ArtifactEvent.newBuilder().setEventId("evt-1").setArtifact("acme/lib:jar")
                .setEventType("published").setSchemaVersion("1.0.0").setPayload("{\"channel\":\"stable\"}")
                .setProducedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setSourceRepo("acme/lib").build();
        Trigger child = Trigger.newBuilder().setRunId("run-7").setTreeId("evt-1").setFanOutId("evt-1")
                .setSubscriptionId("app/per-module").setRepo("app").setWorkflow("build")
                .setInputs(Map.of("module", "\"core\"")).setItemIndex(7).setItem("\"core\"")
                .setPath(List.of()).setEvent(cut).setEventPayloadOmitted(List.of("/modules"))
                .setEventOrigin(new EventOrigin("fanout.artifact-events", 3, 42L)).build();

        // When a worker reading with 0.1.0 reads it
        GenericRecord read = readAs("0.1.0", "dev.fanout.avro.Trigger", Trigger.getClassSchema(), child);

        // Then it has its item, inputs and event (with the payload as cut), and nothing of the new fields
        assertThat(read.get("item_index")).isEqualTo(7);
        assertThat(read.get("item").toString()).isEqualTo("\"core\"");
        assertThat(((GenericRecord) read.get("event")).get("payload").toString()).isEqualTo("{\"channel\":\"stable\"}");
        assertThat(read.getSchema().getField("event_payload_omitted")).isNull();
        assertThat(read.getSchema().getField("event_origin")).isNull();
    }

    private static <T> GenericRecord readAs(String version, String name, Schema writer, T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<T>(writer).write(record, encoder);
        encoder.flush();
        Schema reader = ReleasedSchemas.of(version).get(name);
        return new GenericDatumReader<GenericRecord>(writer, reader)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }
}
