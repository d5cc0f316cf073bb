package dev.fanout.app;

import static dev.fanout.app.RunReports.failed;
import static dev.fanout.app.RunReports.succeeded;
import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.avro.Counts;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tree coordinator on a real broker, stopped mid-tree and restarted on the same state directory. */
@ExtendWith(PipelineExtension.class)
class TreeRestartIT {

    @Test
    void aTreeStoppedMidwayFinishesOnceAfterARestartWithExactCountsAndNoDuplicateTriggers(Pipeline fanout) throws Exception {
        // Given app-a over three targets (retried once after 10 s) and app-c on what app-a's first run emits
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets")
                .setRetry(new RetryPolicy(2, 10_000L, 1.0)).build());
        fanout.subscribe(subscription("app-c", "on-app-a").setArtifact("app-a:image").build());
        fanout.awaitCaughtUp();
        fanout.emit(event("e1").setPayload("{\"targets\":[\"t0\",\"t1\",\"t2\"]}").build());
        fanout.awaitCaughtUp();
        List<Trigger> roots = sortedByIndex(fanout.triggers());
        Trigger t0 = roots.get(0);
        Trigger t1 = roots.get(1);
        Trigger t2 = roots.get(2);
        // t0 emits an event (app-c runs below it), then succeeds; t1 succeeds; t2 fails and waits for its retry
        fanout.emit(childEvent("e2", "app-a:image", "e1", t0.getRunId()).build());
        fanout.awaitCaughtUp();
        Trigger c = fanout.triggers().stream().filter(t -> t.getFanOutId().equals("e2")).findFirst().orElseThrow();
        fanout.report(succeeded(t0));
        fanout.report(succeeded(t1));
        fanout.report(failed(t2, "flaky", true));
        fanout.awaitCaughtUp();

        // When the topology is stopped mid-tree and started again on the same state directory
        fanout.stop();
        assertThat(fanout.treeDone()).isEmpty();
        assertThat(fanout.triggers()).noneMatch(t -> t.getAttempt() == 2);
        fanout.start();

        // Then t2's retry timer survived: attempt 2 is triggered
        await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(() -> fanout.triggers().stream()
                .anyMatch(t -> t.getRunId().equals(t2.getRunId()) && t.getAttempt() == 2));

        // When the retry and app-c succeed
        fanout.report(succeeded(Trigger.newBuilder(t2).setAttempt(2).build()));
        fanout.report(succeeded(c));
        fanout.awaitCaughtUp();

        // Then the tree is done exactly once, with exact counts, and no run was triggered twice for an attempt
        List<TreeDone> done = fanout.treeDone();
        assertThat(done).hasSize(1);
        assertThat(done.get(0).getCounts()).isEqualTo(new Counts(4L, 4L, 0L, 0L, 0L, 1L, 0L, 0L));
        assertThat(fanout.triggers()).extracting(t -> t.getRunId() + "#" + t.getAttempt()).doesNotHaveDuplicates()
                .hasSize(5);
    }

    private static List<Trigger> sortedByIndex(List<Trigger> triggers) {
        return triggers.stream().sorted(java.util.Comparator.comparing(Trigger::getItemIndex)).toList();
    }
}
