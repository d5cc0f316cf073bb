package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.failed;
import static dev.fanout.tree.Reports.started;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retry backoff, run timeouts and fan-out timeouts, on a wall clock moved by hand. */
class TimersTest {

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
    void aFailedRunIsTriggeredAgainAfterAGrowingBackoffWithItsAttemptRising() {
        // Given a subscription tried up to three times, 1 s apart, doubling
        fanout.subscribe(subscription("app-a", "on-release").setRetry(new RetryPolicy(3, 1_000L, 2.0)).build());
        fanout.emit(event("e1").build());
        Trigger first = fanout.triggers().get(0);

        // When the first attempt fails
        fanout.report(failed(fanout, first, "flaky", true));

        // Then nothing is triggered before 1 s, and attempt 2 is triggered after it
        fanout.advance(Duration.ofMillis(800));
        assertThat(fanout.triggers()).isEmpty();
        fanout.advance(Duration.ofMillis(400));
        Trigger second = fanout.triggers().get(0);
        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(second.getRunId()).isEqualTo(first.getRunId());

        // When attempt 2 fails too, and a stale report of attempt 1 arrives
        fanout.report(failed(fanout, second, "flaky", true));
        fanout.report(failed(fanout, first, "flaky", true));

        // Then attempt 3 comes after 2 s, not 1 s, and only once
        fanout.advance(Duration.ofMillis(1_600));
        assertThat(fanout.triggers()).isEmpty();
        fanout.advance(Duration.ofMillis(600));
        List<Trigger> third = fanout.triggers();
        assertThat(third).extracting(Trigger::getAttempt).containsExactly(3);

        // When attempt 3 succeeds
        fanout.report(succeeded(fanout, third.get(0), "{}"));

        // Then the fan-out succeeds with two retries counted and the result's attempts
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts()).isEqualTo(new Counts(1L, 1L, 0L, 0L, 0L, 2L, 0L, 0L));
        assertThat(done.getResults().get(0).getAttempts()).isEqualTo(3);
    }

    @Test
    void aRunWithoutAnEndByItsDeadlineIsTimedOutAndALateReportIsIgnored() {
        // Given a run with a one-minute timeout that has started
        fanout.subscribe(subscription("app-a", "on-release").setTimeoutMs(60_000L).build());
        fanout.emit(event("e1").build());
        Trigger trigger = fanout.triggers().get(0);
        assertThat(trigger.getDeadline()).isEqualTo(fanout.now().plusSeconds(60));
        fanout.report(started(fanout, trigger));

        // When 59 s pass, nothing; when its deadline passes
        fanout.advance(Duration.ofSeconds(59));
        assertThat(fanout.fanOutDone()).isEmpty();
        fanout.advance(Duration.ofSeconds(2));

        // Then it is timed out, and fails its fan-out
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getCounts().getTimedOut()).isEqualTo(1);
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getResults()).extracting(r -> r.getStatus()).containsExactly(ChildStatus.TIMED_OUT);

        // When its success arrives late
        fanout.report(succeeded(fanout, trigger, "{}"));

        // Then nothing changes
        assertThat(fanout.fanOutDone()).isEmpty();
        assertThat(fanout.treeDone()).hasSize(1);
    }

    @Test
    void aRunThatTimesOutWithAttemptsLeftIsTriggeredAgainAfterItsBackoff() {
        // Given a run with a 10 s timeout and two attempts, 1 s apart (its worker crashed after STARTED)
        fanout.subscribe(subscription("app-a", "on-release").setTimeoutMs(10_000L)
                .setRetry(new RetryPolicy(2, 1_000L, 2.0)).build());
        fanout.emit(event("e1").build());
        Trigger first = fanout.triggers().get(0);
        fanout.report(started(fanout, first));

        // When its deadline passes, then the backoff
        fanout.advance(Duration.ofSeconds(11));
        assertThat(fanout.triggers()).isEmpty();
        assertThat(fanout.fanOutDone()).isEmpty();
        fanout.advance(Duration.ofMillis(1_100));

        // Then attempt 2 is triggered with a deadline of its own, and a late report of attempt 1 is stale
        Trigger second = fanout.triggers().get(0);
        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(second.getRunId()).isEqualTo(first.getRunId());
        assertThat(second.getDeadline()).isEqualTo(fanout.now().plusSeconds(10));
        fanout.report(succeeded(fanout, first, "{\"attempt\": 1}"));
        assertThat(fanout.fanOutDone()).isEmpty();

        // When attempt 2 succeeds
        fanout.report(succeeded(fanout, second, "{}"));

        // Then the fan-out succeeds with one retry and no timeout counted
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts()).isEqualTo(new Counts(1L, 1L, 0L, 0L, 0L, 1L, 0L, 0L));
        assertThat(done.getResults().get(0).getAttempts()).isEqualTo(2);
    }

    @Test
    void aRunThatTimesOutOnItsLastAttemptIsTimedOut() {
        // Given a run with a 10 s timeout and two attempts whose first failed
        fanout.subscribe(subscription("app-a", "on-release").setTimeoutMs(10_000L)
                .setRetry(new RetryPolicy(2, 1_000L, 2.0)).build());
        fanout.emit(event("e1").build());
        fanout.report(failed(fanout, fanout.triggers().get(0), "flaky", true));
        fanout.advance(Duration.ofMillis(1_100));
        Trigger second = fanout.triggers().get(0);

        // When attempt 2 has no end by its deadline
        fanout.advance(Duration.ofSeconds(11));

        // Then it is timed out, with the retry it had counted, and nothing more is triggered
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getCounts()).isEqualTo(new Counts(1L, 0L, 0L, 1L, 0L, 1L, 0L, 0L));
        assertThat(done.getResults()).extracting(r -> r.getStatus()).containsExactly(ChildStatus.TIMED_OUT);
        assertThat(second.getAttempt()).isEqualTo(2);
        fanout.advance(Duration.ofSeconds(5));
        assertThat(fanout.triggers()).isEmpty();
    }

    @Test
    void aFanOutTimeoutEndsItAsTimedOutWithTheResultsSoFarAndTimesOutTheRest() {
        // Given three children, one at a time, and a 30 s fan-out timeout
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.emit(event("e1").setPayload("{\"targets\":[\"t0\",\"t1\",\"t2\"]}").setFanOut(
                FanOutOptions.newBuilder().setTimeoutMs(30_000L).setConcurrencyLimit(1).build()).build());
        Trigger t0 = fanout.triggers().get(0);
        fanout.report(succeeded(fanout, t0, "\"ok\""));
        Trigger t1 = fanout.triggers().get(0);

        // When 30 s pass with t1 running and t2 queued
        fanout.advance(Duration.ofSeconds(31));

        // Then the fan-out and the tree end TIMED_OUT, with t0's result, and t1 and t2 timed out
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.TIMED_OUT);
        assertThat(done.getCounts()).isEqualTo(new Counts(3L, 1L, 0L, 2L, 0L, 0L, 0L, 0L));
        assertThat(done.getResults()).extracting(r -> r.getItemIndex()).containsExactly(0);
        assertThat(done.getFinishedAt()).isEqualTo(fanout.now());
        assertThat(fanout.treeDone()).extracting(r -> r.value().getStatus()).containsExactly(CompletionStatus.TIMED_OUT);

        // When t1 reports success afterwards
        fanout.report(succeeded(fanout, t1, "{}"));

        // Then t2 is never triggered, and nothing else is sent
        assertThat(fanout.triggers()).isEmpty();
        assertThat(fanout.fanOutDone()).isEmpty();
        assertThat(fanout.treeDone()).isEmpty();
    }

    @Test
    void aFanOutThatEndsBeforeItsTimeoutIsNotTimedOutLater() {
        // Given a fan-out with a 30 s timeout whose only child succeeded at once
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.emit(event("e1").setFanOut(FanOutOptions.newBuilder().setTimeoutMs(30_000L).build()).build());
        fanout.report(succeeded(fanout, fanout.triggers().get(0), "{}"));
        assertThat(fanout.fanOutDone()).extracting(r -> r.value().getStatus()).containsExactly(CompletionStatus.SUCCEEDED);

        // When its timeout comes
        fanout.advance(Duration.ofSeconds(31));

        // Then the stale timer does nothing
        assertThat(fanout.fanOutDone()).isEmpty();
        assertThat(fanout.treeDone()).hasSize(1);
    }
}
