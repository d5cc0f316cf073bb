package dev.fanout.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Cancellation;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.Counts;
import dev.fanout.avro.Failure;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.TreeProgress;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** docs/wire-contract.md describes every topic and every field of the schemas, so it cannot drift. */
class WireContractDocTest {

    private static final Path DOC = Path.of("..", "docs", "wire-contract.md");

    static List<Schema> topLevel() {
        return List.of(ArtifactEvent.getClassSchema(), Subscription.getClassSchema(), Trigger.getClassSchema(),
                RunStatus.getClassSchema(), FanOutDone.getClassSchema(), TreeDone.getClassSchema(),
                TreeProgress.getClassSchema(), TreeCancel.getClassSchema(), RunCancellation.getClassSchema());
    }

    static List<Schema> nested() {
        return List.of(FanOutOptions.getClassSchema(), Counts.getClassSchema(), Failure.getClassSchema(),
                ChildResult.getClassSchema(), Cancellation.getClassSchema());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topLevel")
    void everyFieldOfARecordIsInItsSection(Schema schema) throws Exception {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("### " + schema.getName() + "\n");
        assertThat(start).as("section '### %s' in %s", schema.getName(), DOC).isNotNegative();
        int end = doc.indexOf("\n### ", start + 1);
        String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
        for (Schema.Field field : schema.getFields()) {
            assertThat(section).as("field %s.%s in %s", schema.getName(), field.name(), DOC)
                    .contains("`" + field.name() + "`");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nested")
    void everyFieldOfANestedRecordIsNamed(Schema schema) throws Exception {
        String doc = Files.readString(DOC);
        for (Schema.Field field : schema.getFields()) {
            assertThat(doc).as("field %s.%s in %s", schema.getName(), field.name(), DOC)
                    .contains("`" + field.name() + "`");
        }
    }

    @Test
    void everyTopicIsInTheTopicTable() throws Exception {
        String doc = Files.readString(DOC);
        FanoutTopics topics = new FanoutTopics("fanout.", Map.of("schema.registry.url", "http://127.0.0.1:1"));
        topics.all().forEach(t -> assertThat(doc).contains("| `" + t.name() + "` |"));
    }
}
