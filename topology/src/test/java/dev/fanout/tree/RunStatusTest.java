package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.failed;
import static dev.fanout.tree.Reports.started;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.config.TopologyNames;
import dev.fanout.contract.TreePartitions;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers' reports: what moves a run, what is ignored, and how failures decide a fan-out. */
class RunStatusTest {

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
    void aStartedReportMovesTheRunToRunning() {
        Trigger a = oneChild(subscription("app-a", "on-release").build());

        fanout.report(started(fanout, a));

        assertThat(run(a).getStatus()).isEqualTo(RunNodeStatus.RUNNING);
    }

    @Test
    void reportsReachTheirTreeWhetherOnItsPartitionOrNot() {
        // The driver reads every report on partition 0 of 3: a tree on partition 0 gets its reports directly,
        // the others through tree.statuses-by-tree
        fanout.subscribe(subscription("app-a", "on-release").build());
        for (int i = 0; i < 12; i++) {
            fanout.emit(event("e" + i).build());
        }
        List<Trigger> triggers = fanout.triggers();
        assertThat(triggers).hasSize(12);
        assertThat(triggers).extracting(t -> TreePartitions.of(t.getTreeId(), 3) == 0).contains(true, false);

        for (Trigger t : triggers) {
            fanout.report(started(fanout, t));
            fanout.report(succeeded(fanout, t, "{}"));
        }

        assertThat(fanout.treeDone()).extracting(r -> r.value().getTreeId())
                .containsExactlyInAnyOrderElementsOf(triggers.stream().map(Trigger::getTreeId).toList());
        assertThat(fanout.treeDone()).allSatisfy(r ->
                assertThat(r.value().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED));
    }

    @Test
    void reportsAfterTheEndAndOnOtherAttemptsChangeNothing() {
        // Given app-a and app-b, app-b still running
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-b", "on-release").build());
        fanout.emit(event("e1").build());
        List<Trigger> triggers = fanout.triggers();
        Trigger a = triggers.get(0);

        // When app-a succeeds, then reports again: the same, a failure, a start, and a future attempt
        fanout.report(succeeded(fanout, a, "{\"v\":1}"));
        fanout.report(succeeded(fanout, a, "{\"v\":2}"));
        fanout.report(failed(fanout, a, "late", false));
        fanout.report(started(fanout, a));
        RunStatus future = RunStatus.newBuilder(failed(fanout, triggers.get(1), "boom", false)).setAttempt(2).build();
        fanout.report(future);

        // Then app-a stays succeeded with its first output, and app-b is untouched
        assertThat(run(a).getStatus()).isEqualTo(RunNodeStatus.SUCCEEDED);
        assertThat(run(triggers.get(1)).getStatus()).isEqualTo(RunNodeStatus.TRIGGERED);
        fanout.report(succeeded(fanout, triggers.get(1), "{}"));
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getCounts()).isEqualTo(new Counts(2L, 2L, 0L, 0L, 0L, 0L, 0L, 0L));
        assertThat(done.getResults().get(0).getOutput()).isEqualTo("{\"v\":1}");
    }

    @Test
    void aReportOnAnUnknownRunIsIgnored() {
        Trigger a = oneChild(subscription("app-a", "on-release").build());

        fanout.report(succeeded(fanout, Trigger.newBuilder(a).setRunId("r-unknown").build(), "{}"));

        assertThat(fanout.treeDone()).isEmpty();
        assertThat(fanout.deadLetters()).isEmpty();
    }

    @Test
    void oneFailedChildFailsItsFanOutAndTree() {
        Trigger a = oneChild(subscription("app-a", "on-release").build());

        fanout.report(failed(fanout, a, "tests failed", true));

        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getFailures()).extracting(f -> f.getError()).containsExactly("tests failed");
        assertThat(fanout.treeDone().get(0).value().getStatus()).isEqualTo(CompletionStatus.FAILED);
    }

    @Test
    void toleratedFailuresLetThatManyChildrenFailWithoutFailingTheFanOut() {
        // Given two children of an event that tolerates one failure
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-b", "on-release").build());
        fanout.emit(event("e1").setFanOut(FanOutOptions.newBuilder().setToleratedFailures(1).build()).build());
        List<Trigger> triggers = fanout.triggers();

        // When one fails and the other succeeds
        fanout.report(failed(fanout, triggers.get(0), "flaky", true));
        fanout.report(succeeded(fanout, triggers.get(1), "{}"));

        // Then the fan-out succeeds, counting the failure
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts().getFailed()).isEqualTo(1);
    }

    @Test
    void aFailureThatIsNotRetryableIsNotRetriedEvenWithAttemptsLeft() {
        // Given a subscription that may try three times
        Trigger a = oneChild(subscription("app-a", "on-release").setRetry(new RetryPolicy(3, 100L, 1.0)).build());

        // When its run fails, not retryable
        fanout.report(failed(fanout, a, "bad config", false));
        fanout.advance(java.time.Duration.ofSeconds(1));

        // Then it fails at once, with no second trigger
        assertThat(fanout.triggers()).isEmpty();
        assertThat(fanout.fanOutDone().get(0).value().getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(run(a).getAttempt()).isEqualTo(1);
    }

    private Trigger oneChild(dev.fanout.avro.Subscription subscription) {
        fanout.subscribe(subscription).emit(event("e1").build());
        return fanout.triggers().get(0);
    }

    private RunNode run(Trigger trigger) {
        KeyValueStore<String, RunNode> runs = fanout.driver().getKeyValueStore(TopologyNames.TREE_RUNS);
        return runs.get(trigger.getRunId());
    }
}
