package dev.fanout.app;

import static dev.fanout.app.RunReports.succeeded;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompensationResult;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.tree.TreeIds;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compensation driven by timers on a real broker, exactly-once: a fan-out that times out is compensated, and
 * a compensation that times out on every attempt is counted as failed, without holding the tree. On the test
 * JVM's shared pipeline.
 */
@ExtendWith(PipelineExtension.class)
class CompensationTimeoutIT {

    private static final String TREE = "undo-e1";
    private static final String ARTIFACT = "undo-lib:release";

    @Test
    void aTimedOutFanOutIsCompensatedAndACompensationThatTimesOutOnEveryAttemptIsCountedFailed(
            @PipelineExtension.Shared Pipeline fanout) throws Exception {
        // Given two steps with an undo, the first's runs limited to two seconds and tried twice, and a third
        // step; the fan-out must be done within three seconds
        fanout.subscribe(subscription("undo-a", "step").setArtifact(ARTIFACT).setCompensateWorkflow("undo")
                .setTimeoutMs(2_000L).setRetry(new RetryPolicy(2, 200L, 1.0)).build());
        fanout.subscribe(subscription("undo-b", "step").setArtifact(ARTIFACT).setCompensateWorkflow("undo").build());
        fanout.subscribe(subscription("undo-c", "hang").setArtifact(ARTIFACT).build());
        fanout.awaitCaughtUp();
        fanout.emit(event(TREE).setArtifact(ARTIFACT)
                .setFanOut(FanOutOptions.newBuilder().setTimeoutMs(3_000L).build()).build());

        // When the two steps succeed and the third never reports
        Map<String, Trigger> steps = fanout.awaitFanOutTriggers(TREE, 3).stream()
                .collect(Collectors.toMap(Trigger::getRepo, Function.identity()));
        fanout.report(succeeded(steps.get("undo-a"), "{\"a\":1}"));
        fanout.report(succeeded(steps.get("undo-b"), "{\"b\":2}"));

        // Then, once the fan-out timed out, both steps are undone, saying why, and the fan-out is not done yet
        List<Trigger> undos = fanout.awaitTriggers(t -> t.getTreeId().equals(TREE) && t.getCompensation() != null, 2);
        assertThat(undos).hasSize(2).allSatisfy(undo -> {
            assertThat(undo.getCompensation().getReason()).isEqualTo("fan-out TIMED_OUT: its timeout_ms passed");
            assertThat(undo.getCompensation().getRunId()).isEqualTo(steps.get(undo.getRepo()).getRunId());
            assertThat(undo.getRunId()).isEqualTo(TreeIds.compensationRunId(undo.getCompensation().getRunId()));
            assertThat(undo.getWorkflow()).isEqualTo("undo");
            assertThat(undo.getAttempt()).isEqualTo(1);
        });
        assertThat(fanout.fanOutDone(TREE)).isEmpty();

        // When the second's undo succeeds and the first's never reports, on either of its two attempts
        Trigger undoB = undos.stream().filter(t -> t.getRepo().equals("undo-b")).findFirst().orElseThrow();
        fanout.report(succeeded(undoB));

        // Then the fan-out and the tree end TIMED_OUT, one compensation done and one failed after two attempts
        FanOutDone done = fanout.awaitFanOutDone(TREE, TREE).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.TIMED_OUT);
        assertThat(done.getCounts()).isEqualTo(new Counts(3L, 2L, 0L, 1L, 0L, 0L, 1L, 1L));
        Map<String, ChildResult> results = done.getResults().stream()
                .collect(Collectors.toMap(ChildResult::getSubscriptionId, Function.identity()));
        CompensationResult undoA = results.get("undo-a/step").getCompensation();
        assertThat(undoA.getStatus()).isEqualTo(ChildStatus.TIMED_OUT);
        assertThat(undoA.getAttempts()).isEqualTo(2);
        assertThat(undoA.getError()).isEqualTo("run timed out after 2000 ms (attempt 2)");
        assertThat(results.get("undo-b/step").getCompensation().getStatus()).isEqualTo(ChildStatus.SUCCEEDED);
        assertThat(results).containsOnlyKeys("undo-a/step", "undo-b/step"); // the results so far, as for any timeout
        TreeDone tree = fanout.awaitTreeDone(TREE);
        assertThat(tree.getStatus()).isEqualTo(CompletionStatus.TIMED_OUT);
        assertThat(tree.getCounts()).isEqualTo(done.getCounts());
        fanout.awaitCaughtUp();
        assertThat(fanout.treeDone(TREE)).hasSize(1);
        assertThat(fanout.fanOutDone(TREE)).hasSize(1);
        assertThat(fanout.triggers(TREE)).extracting(t -> t.getRepo() + "#" + t.getAttempt()
                        + (t.getCompensation() == null ? "" : " undo"))
                .containsExactlyInAnyOrder("undo-a#1", "undo-b#1", "undo-c#1", "undo-a#1 undo", "undo-b#1 undo",
                        "undo-a#2 undo");
    }
}
