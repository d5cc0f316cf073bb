package dev.fanout.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.Failure;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.internal.PlannedChild;
import dev.fanout.avro.internal.PlannedChildren;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The serializer writes records without logical types with Avro's generated encoders: the bytes must be
 * exactly those of Avro's schema-driven writer, for every kind of field (unions set and unset, maps,
 * arrays, nested records, enums).
 */
class GeneratedEncodersTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void theBytesAreThoseOfTheSchemaDrivenWriter() throws IOException {
        ChildResult result = new ChildResult("run-1", "app/s", 3, ChildStatus.FAILED, "{\"a\":1}", "boom", null, 2, null);
        RunNode full = RunNode.newBuilder().setRunId("run-1").setTreeId("tree").setFanOutId("fan").setParentRunId("p")
                .setSubscriptionId("app/s").setRepo("app").setWorkflow("build").setItemIndex(3).setDepth(2)
                .setPath(List.of("a/b", "c/d")).setStatus(RunNodeStatus.FAILED).setReason("r").setAttempt(2)
                .setInputs(Map.of("x", "1", "y", "\"é\"")).setItem("{\"k\":[1,2]}").setTimeoutMs(5_000L)
                .setRetry(new RetryPolicy(3, 100L, 2.0)).setOpenFanOuts(1).setDone(true).setTriggeredAt(1L)
                .setFinishedAt(2L).setError("boom").setFanOutsOpened(4).setOutcome(result).build();
        RunNode sparse = RunNode.newBuilder().setRunId("run-2").setTreeId("tree").setFanOutId("fan")
                .setSubscriptionId("app/s").setRepo("app").setWorkflow("build").setDepth(1)
                .setStatus(RunNodeStatus.PLANNED).build();
        TreeNode tree = TreeNode.newBuilder().setTreeId("tree").setArtifact("lib:release").setStartedAt(1L)
                .setCounts(new Counts(5L, 3L, 1L, 0L, 1L, 2L, 0L, 0L))
                .setFailures(List.of(new Failure("run-1", "app/s", null, 1, "boom"))).build();
        PlannedChildren plan = new PlannedChildren(List.of(
                PlannedChild.newBuilder().setRunId("r0").setSubscriptionId("app/s").setRepo("app").setWorkflow("w")
                        .setInputs(Map.of("n", "0")).setItemIndex(0).setItem("0").setRetry(new RetryPolicy(2, 10L, 1.5))
                        .build(),
                PlannedChild.newBuilder().setRunId("r1").setSubscriptionId("app/s").setRepo("app").setWorkflow("w")
                        .setInputs(Map.of()).setSkippedReason("filter failed").build()));

        for (SpecificRecord record : List.of(full, sparse, tree, plan)) {
            assertThat(serialized(record)).as(record.getSchema().getName()).isEqualTo(schemaDriven(record));
        }
    }

    private byte[] serialized(SpecificRecord record) {
        SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>(registry);
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081"), false);
        byte[] bytes = serializer.serialize("fanout.nodes-" + record.getSchema().getName(), record);
        return Arrays.copyOfRange(bytes, WireFormat.HEADER_SIZE, bytes.length);
    }

    private static byte[] schemaDriven(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForClass(record.getClass())).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
