package dev.fanout.app;

import static dev.fanout.app.RunReports.succeeded;
import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Children that must not run where they would sit in their tree, on a real broker: a cycle, and what is
 * deeper than {@code fanout.max.depth} (3 on the shared pipeline). They are recorded as skipped with their
 * reason, never triggered, and never fail their fan-out. Each test has its own artifacts and tree.
 */
@ExtendWith(PipelineExtension.class)
class TreeLineageIT {

    private static Pipeline fanout;

    @BeforeAll
    static void shareThePipeline(@PipelineExtension.Shared Pipeline pipeline) {
        fanout = pipeline;
    }

    @Test
    void aChildWhoseWorkflowIsAlreadyAnAncestorIsSkippedForACycle() throws Exception {
        // Given app-a's build on the root event, and app-a's build again on app-a's own image
        fanout.subscribe(subscription("app-a", "on-release").setArtifact("cycle-lib:release").build());
        fanout.subscribe(subscription("app-a", "on-own-image").setArtifact("cycle-a:image").build());
        fanout.awaitCaughtUp();
        fanout.emit(event("cycle-e1").setArtifact("cycle-lib:release").build());
        Trigger a = fanout.awaitFanOutTriggers("cycle-e1", 1).get(0);

        // When app-a's run emits its image, then succeeds
        fanout.emit(childEvent("cycle-e2", "cycle-a:image", "cycle-e1", a.getRunId()).build());
        fanout.awaitCaughtUp(); // a worker's event must be known before its own status ends (see trees.md)
        fanout.report(succeeded(a));

        // Then the child is skipped with reason cycle, its fan-out succeeds, and nothing is triggered for it
        ConsumerRecord<String, FanOutDone> nested = fanout.awaitFanOutDone("cycle-e1", "cycle-e2");
        assertThat(nested.key()).isEqualTo(a.getRunId());
        assertThat(nested.value().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(nested.value().getResults()).extracting(ChildResult::getSubscriptionId, ChildResult::getStatus,
                ChildResult::getReason).containsExactly(tuple("app-a/on-own-image", ChildStatus.SKIPPED, "cycle"));
        TreeDone done = fanout.awaitTreeDone("cycle-e1");
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts()).isEqualTo(new Counts(2L, 1L, 0L, 0L, 1L, 0L, 0L, 0L));
        fanout.awaitCaughtUp();
        assertThat(fanout.triggers("cycle-e1")).hasSize(1);
    }

    @Test
    void aChildDeeperThanTheDepthCapIsSkippedForDepth() throws Exception {
        // Given a chain: app-a on the root event, app-b on app-a's image, app-c on app-b's, app-d on app-c's
        fanout.subscribe(subscription("app-a", "chain").setArtifact("depth-lib:release").build());
        fanout.subscribe(subscription("app-b", "chain").setArtifact("depth-a:image").build());
        fanout.subscribe(subscription("app-c", "chain").setArtifact("depth-b:image").build());
        fanout.subscribe(subscription("app-d", "chain").setArtifact("depth-c:image").build());
        fanout.awaitCaughtUp();
        fanout.emit(event("depth-e1").setArtifact("depth-lib:release").build());
        Trigger a = fanout.awaitFanOutTriggers("depth-e1", 1).get(0);
        fanout.emit(childEvent("depth-e2", "depth-a:image", "depth-e1", a.getRunId()).build());
        Trigger b = fanout.awaitFanOutTriggers("depth-e2", 1).get(0);
        fanout.emit(childEvent("depth-e3", "depth-b:image", "depth-e1", b.getRunId()).build());
        Trigger c = fanout.awaitFanOutTriggers("depth-e3", 1).get(0);
        assertThat(c.getDepth()).isEqualTo(3);

        // When app-c, at the deepest level allowed, emits its image, and every run succeeds
        fanout.emit(childEvent("depth-e4", "depth-c:image", "depth-e1", c.getRunId()).build());
        fanout.awaitCaughtUp(); // a worker's event must be known before its own status ends (see trees.md)
        fanout.report(succeeded(c));
        fanout.report(succeeded(b));
        fanout.report(succeeded(a));

        // Then app-d, which would be at depth 4, is skipped with reason depth and never triggered
        FanOutDone nested = fanout.awaitFanOutDone("depth-e1", "depth-e4").value();
        assertThat(nested.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(nested.getResults()).extracting(ChildResult::getSubscriptionId, ChildResult::getStatus,
                ChildResult::getReason).containsExactly(tuple("app-d/chain", ChildStatus.SKIPPED, "depth"));
        TreeDone done = fanout.awaitTreeDone("depth-e1");
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts()).isEqualTo(new Counts(4L, 3L, 0L, 0L, 1L, 0L, 0L, 0L));
        fanout.awaitCaughtUp();
        assertThat(fanout.triggers("depth-e1")).extracting(Trigger::getSubscriptionId)
                .containsExactlyInAnyOrder("app-a/chain", "app-b/chain", "app-c/chain");
    }
}
