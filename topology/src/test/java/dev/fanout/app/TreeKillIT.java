package dev.fanout.app;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology in a child JVM, killed (SIGKILL: no close, no commit, no leaving the group) in the middle
 * of a nested tree with retries, and started again on its state directory or an empty one, exactly-once:
 * the tree finishes once, with exact counts, and no run is triggered twice for one attempt.
 */
@ExtendWith(PipelineExtension.class)
class TreeKillIT {

    private static final String TREE = "kill-e1";

    @ParameterizedTest(name = "restarted on {0} state directory")
    @ValueSource(strings = {"the same", "a fresh"})
    void aTreeWhoseTopologyIsKilledMidwayFinishesOnceWithExactCountsAndNoDuplicateTrigger(String stateDir,
            @PipelineExtension.Options(started = false) Pipeline fanout, @TempDir Path scratch) throws Exception {
        // Given the topology in a child JVM, app-a over four targets (tried up to three times) and app-c on
        // what app-a's first target emits; and a worker: target 0 emits kill-e2 and succeeds once app-c is
        // triggered, target 1 fails once, target 2 twice, and app-c succeeds only once the topology has been
        // killed and started again
        CompletableFuture<Void> nestedTriggered = new CompletableFuture<>();
        CompletableFuture<Void> restarted = new CompletableFuture<>();
        Path childLog = ChildFanout.logFile("TreeKillIT-" + stateDir.replace(' ', '-'));
        try (ChildFanout child = ChildFanout.start(fanout.settings(), childLog);
                SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getTreeId().equals(TREE),
                        trigger -> work(trigger, nestedTriggered, restarted), 3, 100, 7L)) {
            fanout.subscribe(subscription("app-a", "per-target").setArtifact("kill-lib:release")
                    .setForeach("event.payload.targets").setRetry(new RetryPolicy(3, 300L, 2.0)).build());
            fanout.subscribe(subscription("app-c", "on-app-a").setArtifact("kill-a:image").build());
            fanout.awaitCaughtUp();
            fanout.emit(event(TREE).setArtifact("kill-lib:release")
                    .setPayload("{\"targets\":[\"t0\",\"t1\",\"t2\",\"t3\"]}").build());

            // When the topology is killed once app-c runs and a retry was triggered, while the worker goes on
            await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(() ->
                    nestedTriggered.isDone() && worker.receivedTriggers().stream().anyMatch(t -> t.getAttempt() == 2));
            child.kill();
            assertThat(fanout.treeDone(TREE)).isEmpty();

            // And started again (in this JVM) on the killed one's state directory, or on an empty one
            // (everything restored from the changelogs, under another process id), after which app-c succeeds
            if (stateDir.equals("the same")) {
                fanout.start();
            } else {
                fanout.startOn(scratch.resolve("fresh-state"));
            }
            restarted.complete(null);

            // Then the tree is done exactly once, with exact counts
            TreeDone done = fanout.awaitTreeDone(TREE);
            fanout.awaitCaughtUp();
            assertThat(fanout.treeDone(TREE)).hasSize(1);
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(done.getCounts()).isEqualTo(new Counts(5L, 5L, 0L, 0L, 0L, 3L, 0L, 0L));
            // And no run was triggered twice for one attempt: five runs, three retries
            assertThat(fanout.triggers(TREE)).extracting(t -> t.getRunId() + "#" + t.getAttempt())
                    .doesNotHaveDuplicates().hasSize(8);
            assertThat(fanout.fanOutDone(TREE)).extracting(r -> r.value().getFanOutId())
                    .containsExactlyInAnyOrder(TREE, "kill-e2");
            assertThat(worker.errors()).isEmpty();
        }
    }

    /** What the worker does: the same for every attempt of a run, whenever the topology is killed. */
    private static Work work(Trigger trigger, CompletableFuture<Void> nestedTriggered,
            CompletableFuture<Void> restarted) {
        if (trigger.getSubscriptionId().equals("app-c/on-app-a")) {
            nestedTriggered.complete(null);
            return Work.succeed().after(restarted);
        }
        int target = trigger.getItemIndex();
        int failures = target == 1 ? 1 : target == 2 ? 2 : 0;
        if (trigger.getAttempt() <= failures) {
            return Work.fail(true);
        }
        if (target == 0) {
            // Its event must be known to the coordinator before its own status ends: app-c's trigger says so.
            return Work.succeed().emitting(childEvent("kill-e2", "kill-a:image", TREE, trigger.getRunId()).build())
                    .after(nestedTriggered);
        }
        return Work.succeed();
    }
}
