package dev.fanout.app;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.OnFailure;
import dev.fanout.avro.RunState;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code on_failure: fail_fast} on a real broker, exactly-once, across a kill: the topology (in a child JVM)
 * takes a map's first failure on, is killed (SIGKILL) while another item still runs, and is started again on
 * its state directory. The queued items stay unreleased and end skipped by fail_fast; the tree ends once.
 */
@ExtendWith(PipelineExtension.class)
class FailFastKillIT {

    private static final String TREE = "ffkill-e1";
    private static final String ARTIFACT = "ffkill-lib:release";
    private static final String REASON = "fail_fast: 1 failures, 0 tolerated";

    @Test
    void aFailFastMapWhoseTopologyIsKilledAfterItsFirstFailureReleasesNothingMoreAndEndsFailedOnce(
            @PipelineExtension.Options(started = false) Pipeline fanout) throws Exception {
        // Given the topology in a child JVM; a map over six items, two at a time, fail_fast, no failure
        // tolerated; and a worker on which item 0 fails for good and item 1 succeeds only once the topology
        // has been killed and started again (any other item would succeed at once, were it released)
        CompletableFuture<Void> restarted = new CompletableFuture<>();
        Path childLog = ChildFanout.logFile("FailFastKillIT");
        try (ChildFanout child = ChildFanout.start(fanout.settings(), childLog);
                SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getTreeId().equals(TREE),
                        trigger -> work(trigger, restarted), 4, 100, 23L)) {
            fanout.subscribe(subscription("ffkill-a", "per-item").setArtifact(ARTIFACT)
                    .setForeach("event.payload.items").build());
            fanout.awaitCaughtUp();
            fanout.emit(event(TREE).setArtifact(ARTIFACT).setPayload(items(6))
                    .setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(2).setToleratedFailures(0)
                            .setOnFailure(OnFailure.FAIL_FAST).build())
                    .build());

            // When the topology is killed once it has taken item 0's failure on (processed and committed),
            // while item 1 is held by the worker
            await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(() -> worker.sent().stream()
                    .anyMatch(s -> s.status().getStatus() == RunState.FAILED));
            fanout.awaitCaughtUp();
            assertThat(worker.receivedTriggers()).extracting(Trigger::getItemIndex).containsExactlyInAnyOrder(0, 1);
            assertThat(fanout.triggers(TREE)).hasSize(2);
            child.kill();
            assertThat(fanout.treeDone(TREE)).isEmpty();

            // And started again (in this JVM) on the killed one's state directory
            fanout.start();
            fanout.awaitCaughtUp();

            // Then, while item 1 still runs, no queued item is released and the tree is not done
            assertThat(fanout.triggers(TREE)).hasSize(2);
            assertThat(fanout.treeDone(TREE)).isEmpty();

            // When item 1 succeeds
            restarted.complete(null);

            // Then the fan-out and the tree end once, FAILED: one success, one failure, the four queued items
            // skipped by fail_fast
            TreeDone done = fanout.awaitTreeDone(TREE);
            fanout.awaitCaughtUp();
            assertThat(fanout.treeDone(TREE)).hasSize(1);
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(done.getCancelled()).isNull();
            Counts counts = new Counts(6L, 1L, 1L, 0L, 4L, 0L, 0L, 0L);
            assertThat(done.getCounts()).isEqualTo(counts);
            FanOutDone fanOutDone = fanout.awaitFanOutDone(TREE, TREE).value();
            assertThat(fanout.fanOutDone(TREE)).hasSize(1);
            assertThat(fanOutDone.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(fanOutDone.getCounts()).isEqualTo(counts);
            assertThat(fanOutDone.getResults())
                    .extracting(r -> r.getItemIndex() + ": " + r.getStatus()
                            + (r.getStatus() == ChildStatus.SKIPPED ? " " + r.getReason() : ""))
                    .containsExactlyInAnyOrder(
                            "0: FAILED",
                            "1: SUCCEEDED",
                            "2: SKIPPED " + REASON,
                            "3: SKIPPED " + REASON,
                            "4: SKIPPED " + REASON,
                            "5: SKIPPED " + REASON);

            // And only the two items in flight at the kill were ever triggered, each once
            assertThat(fanout.triggers(TREE)).extracting(t -> t.getRunId() + "#" + t.getAttempt())
                    .doesNotHaveDuplicates().hasSize(2);
            assertThat(fanout.triggers(TREE)).extracting(Trigger::getItemIndex).containsExactlyInAnyOrder(0, 1);
            assertThat(worker.receivedTriggers()).extracting(t -> t.getRunId() + "#" + t.getAttempt())
                    .doesNotHaveDuplicates().hasSize(2);
            assertThat(worker.errors()).isEmpty();
        }
    }

    /** What the worker does: item 0 fails, not retryable; item 1 succeeds once released; any other at once. */
    private static Work work(Trigger trigger, CompletableFuture<Void> restarted) {
        return switch (trigger.getItemIndex()) {
            case 0 -> Work.fail(false);
            case 1 -> Work.succeed().after(restarted);
            default -> Work.succeed();
        };
    }

    /** A payload whose {@code items} are 0 .. count-1. */
    private static String items(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }
}
