package dev.fanout.app;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code processing.guarantee=at_least_once} is a choice users may make: a tree still finishes once, exactly. */
@ExtendWith(PipelineExtension.class)
class AtLeastOnceIT {

    private static final String TREE = "alo-e1";

    @Test
    void aNestedTreeWithARetryFinishesOnceWithExactCountsUnderAtLeastOnce(
            @PipelineExtension.Options(settings = "processing.guarantee=at_least_once") Pipeline fanout)
            throws Exception {
        // Given app-a over three targets (tried up to twice) and app-c on what app-a's first target emits
        fanout.subscribe(subscription("app-a", "per-target").setArtifact("alo-lib:release")
                .setForeach("event.payload.targets").setRetry(new RetryPolicy(2, 200L, 1.0)).build());
        fanout.subscribe(subscription("app-c", "on-app-a").setArtifact("alo-a:image").build());
        fanout.awaitCaughtUp();

        // When a worker runs the tree: target 0 emits alo-e2 (and ends once app-c is triggered), target 1
        // fails once, everything else succeeds
        CompletableFuture<Void> nestedTriggered = new CompletableFuture<>();
        TreeDone done;
        try (SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getTreeId().equals(TREE),
                trigger -> work(trigger, nestedTriggered), 3, 100, 11L)) {
            fanout.emit(event(TREE).setArtifact("alo-lib:release")
                    .setPayload("{\"targets\":[\"t0\",\"t1\",\"t2\"]}").build());
            done = fanout.awaitTreeDone(TREE);
            fanout.awaitCaughtUp();
            assertThat(worker.errors()).isEmpty();
        }

        // Then the tree is done once, with exact counts, each fan-out once, each run and attempt triggered once
        assertThat(fanout.treeDone(TREE)).hasSize(1);
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts()).isEqualTo(new Counts(4L, 4L, 0L, 0L, 0L, 1L, 0L, 0L));
        assertThat(fanout.fanOutDone(TREE)).extracting(r -> r.value().getFanOutId())
                .containsExactlyInAnyOrder(TREE, "alo-e2");
        assertThat(fanout.triggers(TREE)).extracting(t -> t.getRunId() + "#" + t.getAttempt())
                .doesNotHaveDuplicates().hasSize(5);
    }

    private static Work work(Trigger trigger, CompletableFuture<Void> nestedTriggered) {
        if (trigger.getSubscriptionId().equals("app-c/on-app-a")) {
            nestedTriggered.complete(null);
            return Work.succeed();
        }
        if (trigger.getItemIndex() == 1 && trigger.getAttempt() == 1) {
            return Work.fail(true);
        }
        if (trigger.getItemIndex() == 0) {
            // Its event must be known to the coordinator before its own status ends: app-c's trigger says so.
            return Work.succeed().emitting(childEvent("alo-e2", "alo-a:image", TREE, trigger.getRunId()).build())
                    .after(nestedTriggered);
        }
        return Work.succeed();
    }
}
