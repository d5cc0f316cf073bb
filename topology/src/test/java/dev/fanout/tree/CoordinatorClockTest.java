package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deadlines, backoffs and fan-out timeouts count from when the coordinator takes the work on, by its own
 * wall clock: records here carry timestamps ten minutes behind (a slow producer clock, a backlog read
 * after an outage) or ahead of it, unclamped, and nothing fires earlier or later for it.
 */
class CoordinatorClockTest {

    private static final Duration SKEW = Duration.ofMinutes(10);

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

    @ParameterizedTest(name = "record timestamp {0} minutes off the coordinator's clock")
    @ValueSource(ints = {-10, 10})
    void aFanOutTimesOutItsTimeoutAfterTheCoordinatorTookTheEvent(int skewMinutes) {
        // Given an event with a 30 s fan-out timeout whose record timestamp is skewed
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.emitAt(event("e1").setFanOut(FanOutOptions.newBuilder().setTimeoutMs(30_000L).build()).build(),
                skewed(skewMinutes));
        assertThat(fanout.triggers()).hasSize(1);

        // When 29 s pass on the coordinator's clock, then 2 s more
        fanout.advance(Duration.ofSeconds(29));
        List<TestRecord<String, FanOutDone>> early = fanout.fanOutDone();
        fanout.advance(Duration.ofSeconds(2));

        // Then it is not timed out before 30 s, and is timed out just after
        assertThat(early).isEmpty();
        List<TestRecord<String, FanOutDone>> done = fanout.fanOutDone();
        assertThat(done).hasSize(1);
        assertThat(done.get(0).value().getStatus()).isEqualTo(CompletionStatus.TIMED_OUT);
    }

    @ParameterizedTest(name = "record timestamp {0} minutes off the coordinator's clock")
    @ValueSource(ints = {-10, 10})
    void aRunsDeadlineCountsFromItsTriggerByTheCoordinatorsClock(int skewMinutes) {
        // Given a subscription with a one-minute run timeout
        fanout.subscribe(subscription("app-a", "on-release").setTimeoutMs(60_000L).build());

        // When an event with a skewed record timestamp triggers it
        fanout.emitAt(event("e1").build(), skewed(skewMinutes));

        // Then the trigger's deadline is a minute from now, and the run is not timed out before it
        Trigger trigger = fanout.triggers().get(0);
        assertThat(trigger.getDeadline()).isEqualTo(fanout.now().plusSeconds(60));
        fanout.advance(Duration.ofSeconds(59));
        assertThat(fanout.fanOutDone()).isEmpty();
        fanout.advance(Duration.ofSeconds(2));
        assertThat(fanout.fanOutDone()).extracting(done -> done.value().getStatus())
                .containsExactly(CompletionStatus.FAILED);
    }

    @ParameterizedTest(name = "report timestamp {0} minutes off the coordinator's clock")
    @ValueSource(ints = {-10, 10})
    void aRetryBackoffCountsFromWhenTheCoordinatorTookTheFailure(int skewMinutes) {
        // Given a run retried once after 5 s
        fanout.subscribe(subscription("app-a", "on-release").setRetry(new RetryPolicy(2, 5_000L, 1.0)).build());
        fanout.emit(event("e1").build());
        Trigger first = fanout.triggers().get(0);

        // When its worker, whose clock is skewed, reports a retryable failure
        fanout.reportAt(failed(fanout, first, "flaky", true), skewed(skewMinutes));

        // Then attempt 2 is triggered after 5 s on the coordinator's clock, not before
        fanout.advance(Duration.ofMillis(4_800));
        assertThat(fanout.triggers()).isEmpty();
        fanout.advance(Duration.ofMillis(400));
        assertThat(fanout.triggers()).extracting(Trigger::getAttempt).containsExactly(2);
    }

    private Instant skewed(int minutes) {
        return fanout.now().plus(SKEW.multipliedBy(minutes).dividedBy(SKEW.toMinutes()));
    }
}
