package dev.fanout.app;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.app.SiblingDependenciesIT.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import dev.fanout.tree.TreeIds;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cancelling a tree on a real broker, exactly-once: its running run is told on {@code run-cancellations} and
 * not retried, its waiting child skipped, its succeeded child compensated, and it ends FAILED, cancelled, once;
 * also when the topology (in a child JVM) is killed (SIGKILL) after taking the cancel on, and started again.
 * The first test runs on the test JVM's shared pipeline, the second on a pipeline of its own.
 */
@ExtendWith(PipelineExtension.class)
class TreeCancelIT {

    private static final String TREE = "cancel-e1";
    private static final String ARTIFACT = "cancel-lib:release";

    @Test
    void aCancelledTreeTellsItsRunningRunSkipsTheWaitingOneCompensatesAndEndsCancelledOnce(
            @PipelineExtension.Shared Pipeline fanout) throws Exception {
        cancelMidTree(fanout, false);
    }

    @Test
    void aCancelledTreeEndsOnceWhenTheTopologyIsKilledAfterTakingTheCancelOnAndStartedAgain(
            @PipelineExtension.Options(started = false) Pipeline fanout) throws Exception {
        cancelMidTree(fanout, true);
    }

    @Test
    void aCancelDuringARetryBackoffSkipsTheRetryAtOnce(@PipelineExtension.Shared Pipeline fanout) throws Exception {
        // Given a step tried up to three times, ten seconds apart, and a step after it
        fanout.subscribe(subscription("backoff-a", "flaky").setArtifact("backoff-lib:release")
                .setRetry(new RetryPolicy(3, 10_000L, 1.0)).build());
        fanout.subscribe(subscription("backoff-b", "after").setArtifact("backoff-lib:release")
                .setDependsOn(all("backoff-a/flaky")).build());
        fanout.awaitCaughtUp();
        fanout.emit(event("backoff-e1").setArtifact("backoff-lib:release").build());
        Trigger flaky = fanout.awaitFanOutTriggers("backoff-e1", 1).get(0);

        // When its first attempt fails, retryably, and the tree is cancelled while it waits for its retry
        fanout.report(RunReports.failed(flaky, "flaky", true));
        fanout.awaitCaughtUp();
        long cancelledAt = System.currentTimeMillis();
        fanout.cancel("backoff-e1", "superseded");

        // Then the tree ends at once, not after the backoff: the step skipped as cancelled, no run told (none
        // was in flight), no second attempt
        TreeDone done = fanout.awaitTreeDone("backoff-e1");
        assertThat(done.getFinishedAt().toEpochMilli() - cancelledAt).isLessThan(10_000L);
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getCancelled().getReason()).isEqualTo("superseded");
        assertThat(done.getCounts()).isEqualTo(new Counts(2L, 0L, 0L, 0L, 2L, 1L, 0L, 0L));
        FanOutDone fanOutDone = fanout.awaitFanOutDone("backoff-e1", "backoff-e1").value();
        assertThat(fanOutDone.getResults()).extracting(r -> r.getSubscriptionId() + ": " + r.getReason())
                .containsExactlyInAnyOrder("backoff-a/flaky: cancelled: superseded",
                        "backoff-b/after: cancelled: superseded");
        fanout.awaitCaughtUp();
        assertThat(fanout.treeDone("backoff-e1")).hasSize(1);
        assertThat(fanout.runCancellations("backoff-e1")).isEmpty();
        assertThat(fanout.triggers("backoff-e1")).extracting(Trigger::getAttempt).containsExactly(1);
    }

    private static void cancelMidTree(Pipeline fanout, boolean kill) throws Exception {
        // Given a step with an undo, a long step tried up to three times, and a step after the long one; and a
        // worker on which the first step and its undo succeed, and the long one runs until it reads its
        // RunCancellation, then reports a (retryable) failure, once the topology runs again if it was killed
        CompletableFuture<Void> restarted = kill ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
        try (ChildFanout child = kill ? ChildFanout.start(fanout.settings(), ChildFanout.logFile("TreeCancelIT")) : null;
                SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getTreeId().equals(TREE),
                        trigger -> work(trigger, restarted), 3, 100, 5L)) {
            fanout.subscribe(subscription("cancel-a", "step").setArtifact(ARTIFACT).setCompensateWorkflow("undo")
                    .build());
            fanout.subscribe(subscription("cancel-b", "long").setArtifact(ARTIFACT)
                    .setRetry(new RetryPolicy(3, 200L, 1.0)).build());
            fanout.subscribe(subscription("cancel-c", "after").setArtifact(ARTIFACT).setDependsOn(all("cancel-b/long"))
                    .build());
            fanout.awaitCaughtUp();
            fanout.emit(event(TREE).setArtifact(ARTIFACT).build());

            // When the first step's success was taken on and the long one runs
            await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(() ->
                    worker.receivedTriggers().stream().anyMatch(t -> t.getRepo().equals("cancel-b"))
                            && worker.sent().stream().anyMatch(s -> s.status().getStatus() == RunState.SUCCEEDED));
            fanout.awaitCaughtUp();
            assertThat(fanout.treeDone(TREE)).isEmpty();
            Trigger step = triggerOf(fanout, "cancel-a/step");
            Trigger running = triggerOf(fanout, "cancel-b/long");

            // And the tree is cancelled (and, in the second case, the topology killed once the running run's
            // RunCancellation is out, before the run reports, then started again on its state directory)
            fanout.cancel(TREE, "release withdrawn");
            if (kill) {
                await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL)
                        .until(() -> worker.runCancellations().stream().anyMatch(c -> c.getTreeId().equals(TREE)));
                child.kill();
                assertThat(fanout.treeDone(TREE)).isEmpty();
                fanout.start();
                restarted.complete(null);
            }

            // Then the tree ends once, FAILED and cancelled: the step compensated, the long one failed, the one
            // after it skipped
            TreeDone done = fanout.awaitTreeDone(TREE);
            fanout.awaitCaughtUp();
            assertThat(fanout.treeDone(TREE)).hasSize(1);
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(done.getCancelled()).isNotNull();
            assertThat(done.getCancelled().getReason()).isEqualTo("release withdrawn");
            assertThat(done.getCancelled().getRequestedBy()).isEqualTo("tests");
            assertThat(done.getCounts()).isEqualTo(new Counts(3L, 1L, 1L, 0L, 1L, 0L, 1L, 0L));
            FanOutDone fanOutDone = fanout.awaitFanOutDone(TREE, TREE).value();
            assertThat(fanout.fanOutDone(TREE)).hasSize(1);
            assertThat(fanOutDone.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(fanOutDone.getCancelled().getReason()).isEqualTo("release withdrawn");
            Map<String, ChildResult> results = fanOutDone.getResults().stream()
                    .collect(Collectors.toMap(ChildResult::getSubscriptionId, Function.identity()));
            assertThat(results.get("cancel-a/step").getStatus()).isEqualTo(ChildStatus.SUCCEEDED);
            assertThat(results.get("cancel-a/step").getCompensation().getStatus()).isEqualTo(ChildStatus.SUCCEEDED);
            assertThat(results.get("cancel-b/long").getStatus()).isEqualTo(ChildStatus.FAILED);
            assertThat(results.get("cancel-c/after").getStatus()).isEqualTo(ChildStatus.SKIPPED);
            assertThat(results.get("cancel-c/after").getReason()).isEqualTo("cancelled: release withdrawn");

            // And the running run was told once, with its attempt, keyed by its repository
            List<ConsumerRecord<String, RunCancellation>> told = fanout.runCancellations(TREE);
            assertThat(told).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("cancel-b");
                assertThat(record.value().getRunId()).isEqualTo(running.getRunId());
                assertThat(record.value().getAttempt()).isEqualTo(1);
                assertThat(record.value().getReason()).isEqualTo("release withdrawn");
            });

            // And it was not retried, the one after it never triggered, and the step's undo triggered once,
            // saying why
            List<Trigger> triggers = fanout.triggers(TREE);
            assertThat(triggers).extracting(t -> t.getRunId() + "#" + t.getAttempt()).containsExactlyInAnyOrder(
                    step.getRunId() + "#1", running.getRunId() + "#1", TreeIds.compensationRunId(step.getRunId()) + "#1");
            Trigger undo = triggers.stream().filter(t -> t.getCompensation() != null).findFirst().orElseThrow();
            assertThat(undo.getWorkflow()).isEqualTo("undo");
            assertThat(undo.getCompensation().getRunId()).isEqualTo(step.getRunId());
            assertThat(undo.getCompensation().getReason()).isEqualTo("cancelled: release withdrawn");

            // When the tree is cancelled again once done, Then nothing changes
            fanout.cancel(TREE, "again");
            fanout.awaitCaughtUp();
            assertThat(fanout.treeDone(TREE)).hasSize(1);
            assertThat(fanout.runCancellations(TREE)).hasSize(1);
            assertThat(fanout.triggers(TREE)).hasSize(3);
            assertThat(worker.errors()).isEmpty();
        }
    }

    /** What the worker does: the same for every attempt, whenever the topology is killed. */
    private static Work work(Trigger trigger, CompletableFuture<Void> restarted) {
        if (trigger.getRepo().equals("cancel-b")) {
            return Work.untilCancelled().after(restarted);
        }
        return Work.succeed();
    }

    private static Trigger triggerOf(Pipeline fanout, String subscriptionId) {
        return fanout.triggers(TREE).stream()
                .filter(t -> t.getCompensation() == null && t.getSubscriptionId().equals(subscriptionId))
                .findFirst().orElseThrow(() -> new AssertionError(subscriptionId + " was not triggered"));
    }
}
