package dev.fanout.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Counts;
import dev.fanout.avro.Failure;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TimerKind;
import java.io.ByteArrayOutputStream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import dev.fanout.avro.internal.TreeNode;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's stores outlive upgrades: nodes written before the query API's fields (timestamps,
 * error, ordinals, the cleanup cursor) must still be read, each new field taking its default.
 */
class StoredNodesEvolutionTest {

    private static final String BEFORE = "/internal-schemas/before-query-api/";

    @Test
    void everyStoredNodeWrittenBeforeTheQueryApiIsReadByTheCurrentSchema() throws Exception {
        Map<String, Schema> current = Map.of("RunNode", RunNode.getClassSchema(), "FanOutNode",
                FanOutNode.getClassSchema(), "TreeNode", TreeNode.getClassSchema(), "Timer", Timer.getClassSchema());
        for (Map.Entry<String, Schema> entry : current.entrySet()) {
            Schema before = parseBefore(entry.getKey());
            SchemaCompatibility.SchemaPairCompatibility compatibility =
                    SchemaCompatibility.checkReaderWriterCompatibility(entry.getValue(), before);
            assertThat(compatibility.getType()).as("%s reads what the previous %s wrote: %s", entry.getKey(),
                    entry.getKey(), compatibility.getDescription())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void theNewFieldsOfAnOldRunNodeTakeTheirDefaults() {
        RunNode run = RunNode.newBuilder().setRunId("r-1").setTreeId("t").setFanOutId("t").setSubscriptionId("a/b")
                .setRepo("a").setWorkflow("b").setDepth(1).setStatus(RunNodeStatus.TRIGGERED).build();
        assertThat(run.getTriggeredAt()).isNull();
        assertThat(run.getFinishedAt()).isNull();
        assertThat(run.getError()).isNull();
        assertThat(run.getFanOutsOpened()).isZero();
    }

    @Test
    void aTimerOfAKindThisVersionDoesNotKnowReadsAsUnknown() throws Exception {
        // Given a timer written by a newer version, whose TimerKind has a symbol more
        Schema newer = new Schema.Parser().parse(Timer.getClassSchema().toString()
                .replace("\"UNKNOWN\"]", "\"UNKNOWN\",\"LATER_KIND\"]"));
        GenericData.Record written = new GenericData.Record(newer);
        written.put("kind", new GenericData.EnumSymbol(newer.getField("kind").schema(), "LATER_KIND"));
        written.put("tree_id", "t");
        written.put("target_id", "r-1");
        written.put("attempt", 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericData.Record>(newer).write(written, encoder);
        encoder.flush();

        // When this version reads it, then its kind is UNKNOWN, which fires as nothing
        Timer read = new SpecificDatumReader<Timer>(newer, Timer.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read.getKind()).isEqualTo(TimerKind.UNKNOWN);
        assertThat(read.getTargetId()).isEqualTo("r-1");
    }

    private static Schema parseBefore(String name) throws Exception {
        Schema.Parser parser = new Schema.Parser();
        // The contract's types they refer to are unchanged: known to the parser first.
        for (Schema known : List.of(Counts.getClassSchema(), Failure.getClassSchema(), RetryPolicy.getClassSchema(),
                ArtifactEvent.getClassSchema(), RunNodeStatus.getClassSchema())) {
            parser.addTypes(List.of(known));
        }
        try (InputStream in = StoredNodesEvolutionTest.class.getResourceAsStream(BEFORE + name + ".avsc")) {
            return parser.parse(in);
        }
    }
}
