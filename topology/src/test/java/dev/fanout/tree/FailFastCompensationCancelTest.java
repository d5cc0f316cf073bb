package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.failed;
import static dev.fanout.tree.Reports.started;
import static dev.fanout.tree.Reports.succeeded;
import static dev.fanout.tree.SiblingDependenciesTest.all;
import static dev.fanout.tree.SiblingDependenciesTest.reasons;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.OnFailure;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code on_failure: fail_fast}, compensation in reverse dependency order, and cancel. */
class FailFastCompensationCancelTest {

    private static final String FOUR = "{\"targets\":[\"t0\",\"t1\",\"t2\",\"t3\"]}";

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void failFastSkipsWhatWasNotReleasedOnceFailuresExceedTheToleranceAndLetsRunningChildrenFinish() {
        // Given four targets, two at a time, fail_fast with no failure tolerated
        fanout.subscribe(subscription("app-a", "deploy").setForeach("event.payload.targets").build());
        fanout.emit(event("e1").setPayload(FOUR).setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(2)
                .setOnFailure(OnFailure.FAIL_FAST).build()).build());
        List<Trigger> first = fanout.triggers();
        assertThat(first).hasSize(2);

        // When the first fails, Then nothing more is released
        fanout.report(failed(fanout, first.get(0), "boom", false));
        assertThat(fanout.triggers()).isEmpty();

        // When the one still running succeeds, Then the fan-out ends FAILED, the two queued skipped by fail_fast
        fanout.report(succeeded(fanout, first.get(1), "{}"));
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getCounts().getSucceeded()).isEqualTo(1);
        assertThat(done.getCounts().getFailed()).isEqualTo(1);
        assertThat(done.getCounts().getSkipped()).isEqualTo(2);
        assertThat(done.getResults()).filteredOn(r -> r.getStatus() == ChildStatus.SKIPPED)
                .extracting(ChildResult::getReason).containsOnly("fail_fast: 1 failures, 0 tolerated");
    }

    @Test
    void aChildWaitingForASiblingOfAFailFastFanOutIsSkippedWithTheFailFastReason() {
        // Given x and y one at a time under fail_fast, and a report once either is done (ANY, done)
        fanout.subscribe(subscription("app-x", "x").build());
        fanout.subscribe(subscription("app-y", "y").build());
        fanout.subscribe(subscription("app-r", "report").setDependsOn(new dev.fanout.avro.DependsOn(
                List.of("app-x/x", "app-y/y"), dev.fanout.avro.DependencyMode.ANY,
                dev.fanout.avro.DependencyCondition.DONE)).build());
        fanout.emit(event("e1").setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(1)
                .setOnFailure(OnFailure.FAIL_FAST).build()).build());
        Trigger first = only(fanout.triggers());

        // When the first fails: the other, queued, is skipped, which ends it (done) while the fan-out drains
        fanout.report(failed(fanout, first, "boom", false));

        // Then the report is not released but skipped, with fail_fast's reason
        assertThat(fanout.triggers()).isEmpty();
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(reasons(done)).containsEntry("app-r/report", "fail_fast: 1 failures, 0 tolerated")
                .hasSize(2);
    }

    @Test
    void continueIsTheDefaultAndReleasesEveryChild() {
        fanout.subscribe(subscription("app-a", "deploy").setForeach("event.payload.targets").build());
        fanout.emit(event("e1").setPayload(FOUR).setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(2).build())
                .build());
        List<Trigger> first = fanout.triggers();

        fanout.report(failed(fanout, first.get(0), "boom", false));

        assertThat(fanout.triggers()).hasSize(1);
    }

    @Test
    void aFailedFanOutCompensatesItsSucceededChildrenInReverseDependencyOrderOneLevelAtATime() {
        // Given db, then api after db, then web after api, each with an undo, and smoke after web that fails
        fanout.subscribe(subscription("db", "migrate").setCompensateWorkflow("rollback").build());
        fanout.subscribe(subscription("api", "deploy").setDependsOn(all("db/migrate")).setCompensateWorkflow("rollback")
                .build());
        fanout.subscribe(subscription("web", "deploy").setDependsOn(all("api/deploy")).setCompensateWorkflow("rollback")
                .setRetry(new RetryPolicy(2, 1_000L, 1.0)).build());
        fanout.subscribe(subscription("qa", "smoke").setDependsOn(all("web/deploy")).build());
        fanout.emit(event("e1").build());
        succeed("db/migrate", "{\"migration\":42}");
        succeed("api/deploy", "{}");
        succeed("web/deploy", "{}");

        // When the last step fails for good
        Trigger smoke = only(fanout.triggers());
        fanout.report(failed(fanout, smoke, "smoke tests failed", false));

        // Then web's compensation runs first, alone, and says what it undoes
        Trigger webUndo = only(fanout.triggers());
        assertThat(webUndo.getRepo()).isEqualTo("web");
        assertThat(webUndo.getWorkflow()).isEqualTo("rollback");
        assertThat(webUndo.getCompensation().getRunId()).isEqualTo(TreeIds.runId("e1", "e1", "web/deploy", null));
        assertThat(webUndo.getCompensation().getWorkflow()).isEqualTo("build");
        assertThat(webUndo.getCompensation().getReason()).isEqualTo("fan-out FAILED: 1 failures, 0 tolerated");
        assertThat(webUndo.getRunId()).isEqualTo(TreeIds.compensationRunId(webUndo.getCompensation().getRunId()));
        assertThat(fanout.fanOutDone()).isEmpty();

        // When it fails retryably once, it is retried under the subscription's policy, then fails for good
        fanout.report(failed(fanout, webUndo, "registry down", true));
        fanout.advance(Duration.ofSeconds(2));
        Trigger webUndoAgain = only(fanout.triggers());
        assertThat(webUndoAgain.getAttempt()).isEqualTo(2);
        fanout.report(failed(fanout, webUndoAgain, "registry down", true));

        // Then api's compensation follows, then db's, carrying db's output
        Trigger apiUndo = only(fanout.triggers());
        assertThat(apiUndo.getRepo()).isEqualTo("api");
        fanout.report(succeeded(fanout, apiUndo, "{}"));
        Trigger dbUndo = only(fanout.triggers());
        assertThat(dbUndo.getRepo()).isEqualTo("db");
        assertThat(dbUndo.getCompensation().getOutput()).isEqualTo("{\"migration\":42}");
        assertThat(fanout.fanOutDone()).isEmpty();
        fanout.report(started(fanout, dbUndo));
        fanout.report(succeeded(fanout, dbUndo, "{}"));

        // And only then do FanOutDone and TreeDone come, FAILED, with the compensations counted and reported
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getCounts().getCompensated()).isEqualTo(2);
        assertThat(done.getCounts().getCompensationFailed()).isEqualTo(1);
        Map<String, ChildResult> results = done.getResults().stream()
                .collect(Collectors.toMap(ChildResult::getSubscriptionId, Function.identity()));
        assertThat(results.get("web/deploy").getCompensation().getStatus()).isEqualTo(ChildStatus.FAILED);
        assertThat(results.get("web/deploy").getCompensation().getError()).isEqualTo("registry down");
        assertThat(results.get("web/deploy").getCompensation().getAttempts()).isEqualTo(2);
        assertThat(results.get("db/migrate").getCompensation().getStatus()).isEqualTo(ChildStatus.SUCCEEDED);
        assertThat(results.get("qa/smoke").getCompensation()).isNull();
        TreeDone tree = fanout.treeDone().get(0).value();
        assertThat(tree.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(tree.getCounts().getCompensated()).isEqualTo(2);
        assertThat(tree.getCounts().getCompensationFailed()).isEqualTo(1);
    }

    @Test
    void withinALevelTheChildThatCompletedLastIsCompensatedFirst() {
        // Given three independent steps with an undo that complete in the order b, c, a, and a step that fails
        for (String repo : List.of("a", "b", "c")) {
            fanout.subscribe(subscription(repo, "step").setCompensateWorkflow("undo").build());
        }
        fanout.subscribe(subscription("z", "check").build());
        fanout.emit(event("e1").build());
        Map<String, Trigger> byRepo = fanout.triggers().stream().collect(Collectors.toMap(Trigger::getRepo, t -> t));
        for (String repo : List.of("b", "c", "a")) {
            fanout.report(succeeded(fanout, byRepo.get(repo), "{}"));
        }

        // When the check fails
        fanout.report(failed(fanout, byRepo.get("z"), "no", false));

        // Then the three undo runs are triggered together, the latest completion first
        assertThat(fanout.triggers()).extracting(Trigger::getRepo).containsExactly("a", "c", "b");
    }

    @Test
    void aSucceededFanOutCompensatesNothing() {
        fanout.subscribe(subscription("a", "step").setCompensateWorkflow("undo").build());
        fanout.emit(event("e1").build());

        fanout.report(succeeded(fanout, only(fanout.triggers()), "{}"));

        assertThat(fanout.triggers()).isEmpty();
        assertThat(fanout.fanOutDone().get(0).value().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
    }

    @Test
    void aCancelSkipsWhatWaitsTellsRunningRunsCompensatesAndEndsTheTreeCancelled() {
        // Given a step with an undo that succeeded, one running, and one after the running one
        fanout.subscribe(subscription("a", "step").setCompensateWorkflow("undo").build());
        fanout.subscribe(subscription("b", "long").setRetry(new RetryPolicy(3, 1_000L, 1.0)).build());
        fanout.subscribe(subscription("c", "after").setDependsOn(all("b/long")).build());
        fanout.emit(event("e1").build());
        Map<String, Trigger> byRepo = fanout.triggers().stream().collect(Collectors.toMap(Trigger::getRepo, t -> t));
        fanout.report(succeeded(fanout, byRepo.get("a"), "{}"));
        fanout.report(started(fanout, byRepo.get("b")));

        // When the tree is cancelled
        fanout.cancel("e1", "release withdrawn");

        // Then the running run is told, with its attempt
        List<TestRecord<String, RunCancellation>> told = fanout.runCancellations();
        assertThat(told).hasSize(1);
        assertThat(told.get(0).key()).isEqualTo("b");
        assertThat(told.get(0).value().getRunId()).isEqualTo(byRepo.get("b").getRunId());
        assertThat(told.get(0).value().getReason()).isEqualTo("release withdrawn");
        assertThat(fanout.triggers()).isEmpty();

        // When it stops with a retryable failure, Then it is not retried; a's undo runs
        fanout.report(failed(fanout, byRepo.get("b"), "cancelled: release withdrawn", true));
        Trigger undo = only(fanout.triggers());
        assertThat(undo.getRepo()).isEqualTo("a");
        assertThat(undo.getCompensation().getReason()).isEqualTo("cancelled: release withdrawn");
        fanout.report(succeeded(fanout, undo, "{}"));

        // And the tree ends FAILED, cancelled, c skipped as cancelled
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getCancelled().getReason()).isEqualTo("release withdrawn");
        assertThat(reasons(done)).containsEntry("c/after", "cancelled: release withdrawn");
        TreeDone tree = fanout.treeDone().get(0).value();
        assertThat(tree.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(tree.getCancelled().getReason()).isEqualTo("release withdrawn");
        assertThat(tree.getCancelled().getRequestedBy()).isEqualTo("tests");
        assertThat(tree.getCounts().getCompensated()).isEqualTo(1);
    }

    @Test
    void aCancelOfADoneOrUnknownTreeChangesNothing() {
        fanout.subscribe(subscription("a", "step").build());
        fanout.emit(event("e1").build());
        fanout.report(succeeded(fanout, only(fanout.triggers()), "{}"));
        assertThat(fanout.treeDone()).hasSize(1);
        assertThat(fanout.fanOutDone()).hasSize(1);

        fanout.cancel("e1", "too late").cancel("no-such-tree", "never was");

        assertThat(fanout.treeDone()).isEmpty();
        assertThat(fanout.fanOutDone()).isEmpty();
        assertThat(fanout.runCancellations()).isEmpty();
    }

    @Test
    void aFanOutThatTimesOutSkipsItsWaitingChildren() {
        fanout.subscribe(subscription("a", "slow").build());
        fanout.subscribe(subscription("b", "after").setDependsOn(all("a/slow")).build());
        fanout.emit(event("e1").setFanOut(FanOutOptions.newBuilder().setTimeoutMs(5_000L).build()).build());
        assertThat(fanout.triggers()).hasSize(1);

        fanout.advance(Duration.ofSeconds(10));

        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.TIMED_OUT);
        assertThat(done.getCounts().getTimedOut()).isEqualTo(1);
        assertThat(done.getCounts().getSkipped()).isEqualTo(1);
        assertThat(reasons(done)).containsEntry("b/after", "fan-out timeout");
    }

    private void succeed(String subscriptionId, String output) {
        Trigger trigger = fanout.triggers().stream().filter(t -> t.getSubscriptionId().equals(subscriptionId))
                .findFirst().orElseThrow(() -> new AssertionError(subscriptionId + " was not triggered"));
        fanout.report(succeeded(fanout, trigger, output));
    }

    private static Trigger only(List<Trigger> triggers) {
        assertThat(triggers).hasSize(1);
        return triggers.get(0);
    }
}
