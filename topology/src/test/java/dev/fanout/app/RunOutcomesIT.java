package dev.fanout.app;

import static dev.fanout.app.RunReports.failed;
import static dev.fanout.app.RunReports.started;
import static dev.fanout.app.RunReports.succeeded;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the coordinator makes of workers' reports on a real broker, exactly-once: retries with backoff,
 * failures that must not be retried, runs past their deadline, and reports that come twice or late.
 * The test JVM's shared pipeline serves the class; each test has its own artifacts and tree.
 */
@ExtendWith(PipelineExtension.class)
class RunOutcomesIT {

    private static Pipeline fanout;

    @BeforeAll
    static void shareThePipeline(@PipelineExtension.Shared Pipeline pipeline) {
        fanout = pipeline;
    }

    @Test
    void aFailedRunIsTriggeredAgainAfterAnExponentialBackoffWithARisingAttemptNumber() throws Exception {
        // Given app-r, tried up to three times, 500 ms after its first failure and 1000 ms after its second
        fanout.subscribe(subscription("app-r", "retried").setArtifact("retry-lib:release")
                .setRetry(new RetryPolicy(3, 500L, 2.0)).build());
        fanout.awaitCaughtUp();
        fanout.emit(event("retry-e1").setArtifact("retry-lib:release").build());

        // When its first two attempts fail and its third succeeds
        Trigger first = fanout.awaitFanOutTriggers("retry-e1", 1).get(0);
        long firstFailedAt = fanout.report(failed(first, "flaky", true));
        Trigger second = fanout.awaitFanOutTriggers("retry-e1", 2).get(1);
        long secondFailedAt = fanout.report(failed(second, "flaky again", true));
        Trigger third = fanout.awaitFanOutTriggers("retry-e1", 3).get(2);
        fanout.report(succeeded(third));
        TreeDone done = fanout.awaitTreeDone("retry-e1");

        // Then the same run is triggered with attempts 1, 2, 3, each retry at least its backoff after the failure
        List<ConsumerRecord<String, Trigger>> triggers = fanout.records(fanout.topics().triggers()).stream()
                .filter(r -> r.value().getTreeId().equals("retry-e1")).toList();
        assertThat(triggers).extracting(r -> r.value().getRunId()).containsOnly(first.getRunId());
        assertThat(triggers).extracting(r -> r.value().getAttempt()).containsExactly(1, 2, 3);
        assertThat(triggers.get(1).timestamp() - firstFailedAt).isGreaterThanOrEqualTo(500L);
        assertThat(triggers.get(2).timestamp() - secondFailedAt).isGreaterThanOrEqualTo(1_000L);
        // And the tree succeeds, counting one run and two retries
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts()).isEqualTo(new Counts(1L, 1L, 0L, 0L, 0L, 2L, 0L, 0L));
    }

    @Test
    void aFailureThatIsNotRetryableFailsTheRunAtOnceWhateverAttemptsAreLeft() throws Exception {
        // Given app-x, which could be tried three times
        fanout.subscribe(subscription("app-x", "fatal").setArtifact("fatal-lib:release")
                .setRetry(new RetryPolicy(3, 100L, 1.0)).build());
        fanout.awaitCaughtUp();
        fanout.emit(event("fatal-e1").setArtifact("fatal-lib:release").build());
        Trigger first = fanout.awaitFanOutTriggers("fatal-e1", 1).get(0);

        // When its first attempt fails with retryable false
        fanout.report(failed(first, "the input is wrong", false));

        // Then the run fails without a second attempt, and its fan-out and tree fail
        FanOutDone fanOutDone = fanout.awaitFanOutDone("fatal-e1", "fatal-e1").value();
        assertThat(fanOutDone.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(fanOutDone.getCounts()).isEqualTo(new Counts(1L, 0L, 1L, 0L, 0L, 0L, 0L, 0L));
        assertThat(fanOutDone.getFailures()).singleElement().satisfies(failure -> {
            assertThat(failure.getRunId()).isEqualTo(first.getRunId());
            assertThat(failure.getAttempt()).isEqualTo(1);
            assertThat(failure.getError()).isEqualTo("the input is wrong");
        });
        assertThat(fanout.awaitTreeDone("fatal-e1").getStatus()).isEqualTo(CompletionStatus.FAILED);
        fanout.awaitCaughtUp();
        assertThat(fanout.triggers("fatal-e1")).hasSize(1);
    }

    @Test
    void aRunWithoutAnOutcomeByItsDeadlineIsTimedOutAndItsLateReportIgnored() throws Exception {
        // Given app-s, which must end within 1.5 s of being triggered, and app-q without a deadline
        fanout.subscribe(subscription("app-s", "slow").setArtifact("deadline-lib:release").setTimeoutMs(1_500L).build());
        fanout.subscribe(subscription("app-q", "quick").setArtifact("deadline-lib:release").build());
        fanout.awaitCaughtUp();
        fanout.emit(event("deadline-e1").setArtifact("deadline-lib:release").build());
        List<Trigger> triggers = fanout.awaitFanOutTriggers("deadline-e1", 2).stream()
                .sorted(Comparator.comparing(Trigger::getSubscriptionId)).toList();
        Trigger quick = triggers.get(0);
        Trigger slow = triggers.get(1);
        assertThat(slow.getDeadline()).isNotNull();
        assertThat(quick.getDeadline()).isNull();

        // When app-q succeeds and app-s starts but never ends
        fanout.report(succeeded(quick));
        fanout.report(started(slow));

        // Then, past its deadline, app-s is timed out, which fails the fan-out (no failure is tolerated)
        FanOutDone fanOutDone = fanout.awaitFanOutDone("deadline-e1", "deadline-e1").value();
        assertThat(fanOutDone.getFinishedAt()).isAfterOrEqualTo(slow.getDeadline());
        assertThat(fanOutDone.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(fanOutDone.getCounts()).isEqualTo(new Counts(2L, 1L, 0L, 1L, 0L, 0L, 0L, 0L));
        assertThat(fanOutDone.getResults()).extracting(ChildResult::getSubscriptionId, ChildResult::getStatus)
                .containsExactly(tuple("app-q/quick", ChildStatus.SUCCEEDED),
                        tuple("app-s/slow", ChildStatus.TIMED_OUT));
        assertThat(fanout.awaitTreeDone("deadline-e1").getCounts()).isEqualTo(new Counts(2L, 1L, 0L, 1L, 0L, 0L, 0L, 0L));

        // When app-s reports success after all
        fanout.report(succeeded(slow));
        fanout.awaitCaughtUp();

        // Then nothing changes, and it was not retried
        assertThat(fanout.treeDone("deadline-e1")).hasSize(1);
        assertThat(fanout.fanOutDone("deadline-e1")).hasSize(1);
        assertThat(fanout.triggers("deadline-e1")).hasSize(2);
    }

    @Test
    void duplicateAndStaleRunStatusesChangeNothing() throws Exception {
        // Given app-d (retried once) and app-e on the same event
        fanout.subscribe(subscription("app-d", "dup").setArtifact("dup-lib:release")
                .setRetry(new RetryPolicy(2, 100L, 1.0)).build());
        fanout.subscribe(subscription("app-e", "dup").setArtifact("dup-lib:release").build());
        fanout.awaitCaughtUp();
        fanout.emit(event("dup-e1").setArtifact("dup-lib:release").build());
        List<Trigger> roots = fanout.awaitFanOutTriggers("dup-e1", 2).stream()
                .sorted(Comparator.comparing(Trigger::getSubscriptionId)).toList();
        Trigger d1 = roots.get(0);
        Trigger e = roots.get(1);
        int deadLettersBefore = fanout.deadLetters().size();
        // app-d's first attempt failed and its second is running; app-e succeeded
        fanout.report(failed(d1, "flaky", true));
        Trigger d2 = fanout.awaitTriggers(t -> t.getFanOutId().equals("dup-e1") && t.getAttempt() == 2, 1).get(0);
        assertThat(d2.getRunId()).isEqualTo(d1.getRunId());
        fanout.report(succeeded(e));

        // When app-e's success comes again, then a failure of app-e, a success of app-d's stale first
        // attempt, and a report on a run nobody knows
        fanout.report(succeeded(e));
        fanout.report(failed(e, "late", false));
        fanout.report(succeeded(d1));
        fanout.report(succeeded(Trigger.newBuilder(d2).setRunId("r-unknown").build()));
        fanout.awaitCaughtUp();

        // Then nothing moved: app-d's second attempt still holds the tree open, nothing went to dead letters
        assertThat(fanout.treeDone("dup-e1")).isEmpty();
        assertThat(fanout.fanOutDone("dup-e1")).isEmpty();
        assertThat(fanout.deadLetters()).hasSize(deadLettersBefore);

        // When app-d's second attempt succeeds, twice
        fanout.report(succeeded(d2));
        fanout.report(succeeded(d2));

        // Then the tree is done once, each run counted once, app-e as a success
        TreeDone done = fanout.awaitTreeDone("dup-e1");
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts()).isEqualTo(new Counts(2L, 2L, 0L, 0L, 0L, 1L, 0L, 0L));
        fanout.awaitCaughtUp();
        assertThat(fanout.treeDone("dup-e1")).hasSize(1);
        assertThat(fanout.fanOutDone("dup-e1")).hasSize(1);
        assertThat(fanout.triggers("dup-e1")).extracting(t -> t.getRunId() + "#" + t.getAttempt())
                .doesNotHaveDuplicates().hasSize(3);
    }
}
