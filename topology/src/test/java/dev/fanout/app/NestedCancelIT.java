package dev.fanout.app;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.app.SiblingDependenciesIT.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.SimulatedWorker.Received;
import dev.fanout.app.SimulatedWorker.Sent;
import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunState;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cancelling a nested tree on a real broker, exactly-once: the cancel reaches the nested fan-out's running
 * run, the nested fan-out is compensated before its parent is, and the tree ends FAILED, cancelled, once. On
 * the test JVM's shared pipeline.
 */
@ExtendWith(PipelineExtension.class)
class NestedCancelIT {

    private static final String TREE = "nest-e1";
    private static final String NESTED = "nest-e2";

    @Test
    void aCancelReachesTheNestedFanOutWhichIsCompensatedBeforeItsParentAndTheTreeEndsCancelledOnce(
            @PipelineExtension.Shared Pipeline fanout) throws Exception {
        // Given a parent step with an undo that emits nest-e2, and a step after it; on nest-e2, a step with an
        // undo and a long one tried up to three times; a worker on which every step and undo succeeds and the
        // long one runs until it reads its RunCancellation, then reports a retryable failure
        fanout.subscribe(subscription("nest-a", "parent").setArtifact("nest-lib:release").setCompensateWorkflow("undo")
                .build());
        fanout.subscribe(subscription("nest-d", "after").setArtifact("nest-lib:release")
                .setDependsOn(all("nest-a/parent")).build());
        fanout.subscribe(subscription("nest-b", "child").setArtifact("nest-b:image").setCompensateWorkflow("undo")
                .build());
        fanout.subscribe(subscription("nest-c", "long").setArtifact("nest-b:image")
                .setRetry(new RetryPolicy(3, 200L, 1.0)).build());
        fanout.awaitCaughtUp();
        try (SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getTreeId().equals(TREE),
                NestedCancelIT::work, 3, 100, 3L)) {
            fanout.emit(event(TREE).setArtifact("nest-lib:release").build());

            // When the parent and the nested step have succeeded, the long one runs, and the tree is cancelled
            await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(() ->
                    worker.receivedTriggers().stream().anyMatch(t -> t.getRepo().equals("nest-c"))
                            && worker.sent().stream().filter(s -> s.status().getStatus() == RunState.SUCCEEDED)
                            .count() == 2);
            fanout.awaitCaughtUp();
            assertThat(fanout.treeDone(TREE)).isEmpty();
            fanout.cancel(TREE, "release withdrawn");

            // Then the tree ends once, FAILED, cancelled: both steps with an undo compensated, the long one
            // failed, the step after the parent skipped
            TreeDone done = fanout.awaitTreeDone(TREE);
            fanout.awaitCaughtUp();
            assertThat(fanout.treeDone(TREE)).hasSize(1);
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(done.getCancelled().getReason()).isEqualTo("release withdrawn");
            assertThat(done.getCounts()).isEqualTo(new Counts(4L, 2L, 1L, 0L, 1L, 0L, 2L, 0L));

            // And each fan-out ended once, FAILED and cancelled, with its own children's outcomes
            Map<String, FanOutDone> fanOuts = fanout.fanOutDone(TREE).stream().map(ConsumerRecord::value)
                    .collect(Collectors.toMap(FanOutDone::getFanOutId, Function.identity()));
            assertThat(fanOuts).containsOnlyKeys(TREE, NESTED);
            assertThat(fanout.fanOutDone(TREE)).hasSize(2);
            FanOutDone nested = fanOuts.get(NESTED);
            assertThat(nested.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(nested.getCancelled()).isNotNull();
            assertThat(nested.getCounts()).isEqualTo(new Counts(2L, 1L, 1L, 0L, 0L, 0L, 1L, 0L));
            FanOutDone root = fanOuts.get(TREE);
            assertThat(root.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(root.getCancelled()).isNotNull();
            assertThat(root.getCounts()).isEqualTo(new Counts(2L, 1L, 0L, 0L, 1L, 0L, 1L, 0L));
            Map<String, ChildResult> rootResults = root.getResults().stream()
                    .collect(Collectors.toMap(ChildResult::getSubscriptionId, Function.identity()));
            assertThat(rootResults.get("nest-a/parent").getCompensation().getStatus()).isEqualTo(ChildStatus.SUCCEEDED);
            assertThat(rootResults.get("nest-d/after").getReason()).isEqualTo("cancelled: release withdrawn");

            // And only the long run was told, once
            List<ConsumerRecord<String, RunCancellation>> told = fanout.runCancellations(TREE);
            assertThat(told).extracting(ConsumerRecord::key).containsExactly("nest-c");

            // And the nested step was undone before the parent, whose undo came once the nested one was reported
            List<Received> received = worker.received();
            List<Sent> sent = worker.sent();
            List<Received> undos = received.stream().filter(r -> r.trigger().getCompensation() != null).toList();
            assertThat(undos).extracting(r -> r.trigger().getRepo()).containsExactly("nest-b", "nest-a");
            long nestedUndoReported = sent.stream()
                    .filter(s -> s.status().getRunId().equals(undos.get(0).trigger().getRunId()))
                    .mapToLong(Sent::seq).max().orElseThrow();
            assertThat(undos.get(1).seq()).isGreaterThan(nestedUndoReported);
            assertThat(fanout.triggers(TREE)).extracting(t -> t.getRunId() + "#" + t.getAttempt())
                    .doesNotHaveDuplicates().hasSize(5);
            assertThat(worker.errors()).isEmpty();
        }
    }

    private static Work work(Trigger trigger) {
        if (trigger.getCompensation() == null && trigger.getRepo().equals("nest-a")) {
            return Work.succeed().emitting(childEvent(NESTED, "nest-b:image", TREE, trigger.getRunId()).build())
                    .listingEmitted();
        }
        if (trigger.getCompensation() == null && trigger.getRepo().equals("nest-c")) {
            return Work.untilCancelled();
        }
        return Work.succeed();
    }
}
