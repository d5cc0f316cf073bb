package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.PlanOpened;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.PlanSealed;
import dev.fanout.avro.internal.PlannedChild;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans written one child to a record (as Fanout 0.1.0 did, before children travelled a hundred to a record)
 * may still sit in the plans topic when a new version starts: they are applied like any other.
 */
class SingleChildPlansTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void aPlanOfOneChildPerRecordTriggersEachChildAndFinishesItsTree() {
        // Given the plans topic as an earlier version left it: opened, two single children, sealed
        fanout = new FanoutDriver(stateDir);
        ArtifactEvent e1 = event("e1").build();
        TestInputTopic<String, PlanRecord> plans = fanout.driver().createInputTopic(
                "fanout-" + TopologyNames.MATCHER_PLANS_BY_TREE + "-repartition", new StringSerializer(),
                fanout.topics().serdes().forValues(PlanRecord.class).serializer());
        plans.pipeInput("e1", new PlanRecord("e1", "e1", new PlanOpened(e1, "fanout.artifact-events", 0, 0L)));
        plans.pipeInput("e1", new PlanRecord("e1", "e1", child("run-a", "app-a")));
        plans.pipeInput("e1", new PlanRecord("e1", "e1", child("run-b", "app-b")));
        plans.pipeInput("e1", new PlanRecord("e1", "e1", new PlanSealed(2, null)));

        // Then both children are triggered
        List<Trigger> triggers = fanout.triggers();
        assertThat(triggers).extracting(Trigger::getRunId).containsExactly("run-a", "run-b");

        // And when both succeed, the tree is done with both counted
        triggers.forEach(trigger -> fanout.report(succeeded(fanout, trigger, "{}")));
        List<TreeDone> done = fanout.treeDone().stream().map(record -> record.value()).toList();
        assertThat(done).hasSize(1);
        assertThat(done.get(0).getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.get(0).getCounts().getTotal()).isEqualTo(2);
        assertThat(done.get(0).getCounts().getSucceeded()).isEqualTo(2);
    }

    private static PlannedChild child(String runId, String repo) {
        return PlannedChild.newBuilder().setRunId(runId).setSubscriptionId(repo + "/on-release").setRepo(repo)
                .setWorkflow("build").setInputs(Map.of()).build();
    }
}
