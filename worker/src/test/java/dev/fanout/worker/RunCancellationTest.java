package dev.fanout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a handler sees of its run's cancellation, and the memory of recent cancellations behind it. */
class RunCancellationTest {

    private final RecentCancellations recent = new RecentCancellations(3);

    @Test
    void aRunIsNotCancelledUntilItsCancellationArrivesThenItIsWithTheReason() {
        RunContext run = context("r-1");
        assertThat(run.cancelled()).isFalse();
        assertThat(run.cancellationReason()).isEmpty();

        recent.add(cancellation("r-1", "wrong version"));

        assertThat(run.cancelled()).isTrue();
        assertThat(run.cancellationReason()).contains("wrong version");
        assertThat(run.cancellation().orElseThrow().getTreeId()).isEqualTo("t-1");
    }

    @Test
    void anotherRunsCancellationIsNotThisRuns() {
        RunContext run = context("r-1");

        recent.add(cancellation("r-2", "other"));

        assertThat(run.cancelled()).isFalse();
    }

    @Test
    void onCancelRunsOnceWhenTheCancellationArrivesThroughAWatchAndAtOnceWhenRegisteredAfter() {
        RunContext run = context("r-1");
        List<String> calls = new ArrayList<>();
        run.onCancel(() -> calls.add("before"));
        try (RecentCancellations.Watch watch = recent.watch("r-1", run::cancel)) {
            recent.add(cancellation("r-1", "stop"));
            recent.add(cancellation("r-1", "stop again"));
            run.onCancel(() -> calls.add("after"));
        }

        assertThat(calls).containsExactly("before", "after");
        assertThat(run.cancellationReason()).contains("stop");
    }

    @Test
    void aFailingOnCancelActionDoesNotStopTheOthers() {
        RunContext run = context("r-1");
        List<String> calls = new ArrayList<>();
        run.onCancel(() -> {
            throw new IllegalStateException("boom");
        });
        run.onCancel(() -> calls.add("second"));

        run.cancel(cancellation("r-1", null));

        assertThat(calls).containsExactly("second");
    }

    @Test
    void aClosedWatchHearsNothingMore() {
        List<RunCancellation> heard = new ArrayList<>();
        RecentCancellations.Watch watch = recent.watch("r-1", heard::add);
        watch.close();
        watch.close();

        recent.add(cancellation("r-1", "late"));

        assertThat(heard).isEmpty();
        assertThat(recent.watched()).isZero();
    }

    @Test
    void theMemoryKeepsTheMostRecentCancellationsButARunThatSawItsOwnKeepsIt() {
        RunContext seen = context("r-1");
        recent.add(cancellation("r-1", "first"));
        assertThat(seen.cancelled()).isTrue();

        for (String runId : List.of("r-2", "r-3", "r-4")) {
            recent.add(cancellation(runId, null));
        }

        assertThat(recent.of("r-1")).as("forgotten by the memory of 3").isEmpty();
        assertThat(recent.of("r-4")).isPresent();
        assertThat(seen.cancelled()).as("kept by the run that saw it").isTrue();
        assertThat(context("r-1").cancelled()).as("a new attempt picked up now").isFalse();
    }

    @Test
    void theErrorOfACancelledRunGivesTheReasonOrTheTreeThenWhatTheHandlerSaid() {
        assertThat(RunExecution.cancelled(cancellation("r-1", "wrong version"), null)).isEqualTo("cancelled: wrong version");
        assertThat(RunExecution.cancelled(cancellation("r-1", null), null)).isEqualTo("cancelled: tree t-1 was cancelled");
        assertThat(RunExecution.cancelled(cancellation("r-1", " "), "exit code 137"))
                .isEqualTo("cancelled: tree t-1 was cancelled; the handler ended with: exit code 137");
        assertThat(RunExecution.cancelled(cancellation("r-1", "x".repeat(5000)), null)).hasSize(4003).endsWith("...");
    }

    private RunContext context(String runId) {
        return new RunContext(trigger(runId), false, null, null, null, recent, null);
    }

    private static RunCancellation cancellation(String runId, String reason) {
        return RunCancellation.newBuilder().setRunId(runId).setTreeId("t-1").setRepo("app-a").setAttempt(1)
                .setReason(reason).setCancelledAt(Instant.parse("2026-12-01T10:00:00Z")).build();
    }

    private static Trigger trigger(String runId) {
        ArtifactEvent event = WorkerIT.event("t-1", "lib-core:release", "{}");
        return Trigger.newBuilder().setRunId(runId).setTreeId("t-1").setFanOutId("t-1").setSubscriptionId("app-a/on-release")
                .setRepo("app-a").setWorkflow("build").setAttempt(1).setDepth(1).setEvent(event)
                .setInputs(Map.of()).build();
    }
}
