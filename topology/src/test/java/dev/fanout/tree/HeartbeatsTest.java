package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.progress;
import static dev.fanout.tree.Reports.started;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.LastProgress;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TimerKind;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code heartbeat_timeout_ms}: an attempt whose worker goes quiet for that long fails retryably, counted
 * by the coordinator's clock from the attempt's trigger or its last report; one that keeps reporting runs on.
 */
class HeartbeatsTest {

    private static final long HEARTBEAT_TIMEOUT_MS = 10_000;

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
    void aRunWhoseWorkerStopsHeartbeatingIsRetriedTheTimeoutAfterItsLastReport() {
        // Given a run with a 10 s heartbeat timeout and two attempts, 1 s apart, whose worker reports at 0 and 3 s
        Trigger first = triggerOne(new RetryPolicy(2, 1_000L, 1.0));
        fanout.report(started(fanout, first));
        advanceSeconds(3);
        fanout.report(started(fanout, first));

        // When its worker goes quiet: nothing until 10 s after its last report
        advanceSeconds(9);
        assertThat(fanout.triggers()).isEmpty();
        assertThat(run(first).getStatus()).isEqualTo(RunNodeStatus.RUNNING);
        advanceSeconds(1);

        // Then the attempt has failed for want of heartbeats, and attempt 2 comes after the backoff
        assertThat(run(first).getStatus()).isEqualTo(RunNodeStatus.QUEUED);
        assertThat(run(first).getError()).isEqualTo("no heartbeat for 10000 ms (attempt 1)");
        assertThat(fanout.triggers()).isEmpty();
        advanceSeconds(1);
        Trigger second = fanout.triggers().get(0);
        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(second.getHeartbeatTimeoutMs()).isEqualTo(HEARTBEAT_TIMEOUT_MS);
    }

    @Test
    void aRunThatNeverReportsIsRetriedTheTimeoutAfterItsTrigger() {
        // Given a run with a heartbeat timeout whose worker never picks it up
        Trigger first = triggerOne(new RetryPolicy(2, 1_000L, 1.0));

        // When 9 s pass, nothing; at 10 s and after the backoff
        advanceSeconds(9);
        assertThat(run(first).getStatus()).isEqualTo(RunNodeStatus.TRIGGERED);
        advanceSeconds(2);

        // Then attempt 2 is triggered
        assertThat(fanout.triggers()).extracting(Trigger::getAttempt).containsExactly(2);
    }

    @Test
    void aRunThatKeepsHeartbeatingIsNotRetriedAndHasOneLiveHeartbeatTimer() {
        // Given a run with a 10 s heartbeat timeout
        Trigger trigger = triggerOne(new RetryPolicy(3, 1_000L, 1.0));

        // When its worker reports every 3 s for a minute
        for (int second = 0; second < 60; second++) {
            if (second % 3 == 0) {
                fanout.report(started(fanout, trigger));
            }
            advanceSeconds(1);
            // Then it is never retried, and only one heartbeat timer is live for it
            assertThat(fanout.triggers()).isEmpty();
            assertThat(heartbeatTimers(trigger)).isEqualTo(1);
        }
        fanout.report(succeeded(fanout, trigger, "{}"));

        // And it succeeds with its first attempt; its timer then fires stale and is gone
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getResults().get(0).getAttempts()).isEqualTo(1);
        advanceSeconds(11);
        assertThat(heartbeatTimers(trigger)).isZero();
    }

    @ParameterizedTest(name = "worker clock {0} minutes off the coordinator's")
    @ValueSource(ints = {-10, 10})
    void aWorkersSkewedReportedAtChangesNothing(int skewMinutes) {
        // Given a run with a 10 s heartbeat timeout whose worker's clock (reported_at and record time) is skewed
        Trigger first = triggerOne(new RetryPolicy(2, 1_000L, 1.0));
        Instant skewed = fanout.now().plus(Duration.ofMinutes(skewMinutes));
        RunStatus report = started(fanout, first);
        report.setReportedAt(skewed);
        advanceSeconds(3);
        fanout.reportAt(report, skewed);

        // When it goes quiet, then it is retried 10 s after the report reached the coordinator, neither sooner nor later
        advanceSeconds(9);
        assertThat(run(first).getStatus()).isEqualTo(RunNodeStatus.RUNNING);
        advanceSeconds(1);
        assertThat(run(first).getError()).isEqualTo("no heartbeat for 10000 ms (attempt 1)");
        advanceSeconds(1);
        assertThat(fanout.triggers()).extracting(Trigger::getAttempt).containsExactly(2);
    }

    @Test
    void aQuietRunWithNoAttemptsLeftIsTimedOut() {
        // Given a run with a heartbeat timeout and no retry policy, that started
        Trigger trigger = triggerOne(null);
        fanout.report(started(fanout, trigger));

        // When its worker goes quiet for the timeout
        advanceSeconds(11);

        // Then it is timed out for want of heartbeats, and its fan-out fails
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getResults().get(0).getStatus()).isEqualTo(ChildStatus.TIMED_OUT);
        assertThat(done.getResults().get(0).getError()).isEqualTo("no heartbeat for 10000 ms (attempt 1)");
        assertThat(run(trigger).getReason()).isEqualTo("heartbeat timeout");
    }

    @Test
    void progressIsKeptWithTheCoordinatorsTimeAndTheAttempt() {
        // Given a running run
        Trigger trigger = triggerOne(null);
        advanceSeconds(2);
        Instant reached = fanout.now();

        // When its worker reports progress with details
        fanout.report(progress(fanout, trigger, "compiled 3 of 7 modules", "{\"done\":3}"));

        // Then its node keeps the last progress
        LastProgress last = run(trigger).getProgress();
        assertThat(last.getMessage()).isEqualTo("compiled 3 of 7 modules");
        assertThat(last.getDetails()).isEqualTo("{\"done\":3}");
        assertThat(last.getAt()).isEqualTo(reached.toEpochMilli());
        assertThat(last.getAttempt()).isEqualTo(1);
        assertThat(run(trigger).getStatus()).isEqualTo(RunNodeStatus.RUNNING);
    }

    @Test
    void progressTooLargeForTheRunNodeIsCutSayingSo() {
        // Given a running run
        Trigger trigger = triggerOne(null);

        // When its worker reports a long message with details larger than a run node keeps
        String details = "[" + "1,".repeat(Heartbeats.DETAILS_MAX_CHARS) + "1]";
        fanout.report(progress(fanout, trigger, "x".repeat(1_500), details));

        // Then the message is cut and the details are left out, each saying so
        LastProgress last = run(trigger).getProgress();
        assertThat(last.getMessage()).startsWith("x".repeat(Heartbeats.MESSAGE_MAX_CHARS) + "… (cut: 1500 characters in all)")
                .endsWith("(details of " + details.length() + " characters left out: at most 16384 are kept; report a "
                        + "summary, or a reference to the rest)");
        assertThat(last.getDetails()).isNull();
    }

    private Trigger triggerOne(RetryPolicy retry) {
        fanout.subscribe(subscription("app-a", "on-release").setHeartbeatTimeoutMs(HEARTBEAT_TIMEOUT_MS)
                .setRetry(retry).build());
        fanout.emit(event("e1").build());
        Trigger trigger = fanout.triggers().get(0);
        assertThat(trigger.getHeartbeatTimeoutMs()).isEqualTo(HEARTBEAT_TIMEOUT_MS);
        return trigger;
    }

    /** One second at a time, so the timer punctuation runs each second as it would. */
    private void advanceSeconds(int seconds) {
        for (int i = 0; i < seconds; i++) {
            fanout.advance(Duration.ofSeconds(1));
        }
    }

    private RunNode run(Trigger trigger) {
        KeyValueStore<String, RunNode> runs = fanout.driver().getKeyValueStore(TopologyNames.TREE_RUNS);
        return runs.get(trigger.getRunId());
    }

    private long heartbeatTimers(Trigger trigger) {
        KeyValueStore<Bytes, Timer> timers = fanout.driver().getKeyValueStore(TopologyNames.TREE_TIMERS);
        long count = 0;
        try (KeyValueIterator<Bytes, Timer> all = timers.all()) {
            while (all.hasNext()) {
                Timer timer = all.next().value;
                if (timer.getKind() == TimerKind.HEARTBEAT && timer.getTargetId().equals(trigger.getRunId())) {
                    count++;
                }
            }
        }
        return count;
    }
}
