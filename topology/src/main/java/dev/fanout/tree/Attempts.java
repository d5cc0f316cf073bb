package dev.fanout.tree;

import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.StopCause;
import dev.fanout.tree.timer.Backoff;
import java.util.OptionalLong;

/**
 * What becomes of an attempt that failed or ran out of time: another attempt after the subscription's
 * backoff, or the run's end, as {@link Backoff#nextAttemptAt} decides; this applies it. A worker's FAILED report ({@link StatusApplier}), a
 * deadline and a missing heartbeat (timers) all come here, for children and compensation runs alike.
 *
 * <p>An expired attempt with no attempt left ends TIMED_OUT; a failed one, FAILED.
 */
final class Attempts {

    private final Releases releases;
    private final Outcomes outcomes;
    private final Completion completion;
    private final Compensations compensations;

    Attempts(Releases releases, Outcomes outcomes, Completion completion, Compensations compensations) {
        this.releases = releases;
        this.outcomes = outcomes;
        this.completion = completion;
        this.compensations = compensations;
    }

    /** Whether reports and timers of {@code run} still move it: its fan-out still counts it. */
    static boolean accepts(FanOutNode fanOut, RunNode run) {
        return run.getCompensates() != null ? FanOutStateMachine.of(fanOut) == FanOutState.COMPENSATING
                : FanOutStateMachine.countsChildren(fanOut);
    }

    /**
     * The attempt failed ({@code run} is TRIGGERED or RUNNING): if it gets another attempt, moves it to
     * FAILED, schedules the retry and returns true; otherwise changes nothing and returns false.
     */
    boolean retry(FanOutNode fanOut, RunNode run, String error, boolean retryable, long nowMs) {
        OptionalLong next = Backoff.nextAttemptAt(run.getRetry(), run.getAttempt(), retryable,
                fanOut.getStop() == StopCause.CANCEL, nowMs);
        if (next.isEmpty()) {
            return false;
        }
        NodeStateMachine.move(run, RunNodeStatus.FAILED);
        run.setError(Outcomes.cutError(error));
        long dueMs = next.getAsLong();
        if (run.getCompensates() != null) {
            compensations.awaitRetry(run, dueMs);
        } else {
            outcomes.retried(fanOut, nowMs);
            releases.awaitRetry(fanOut, run, dueMs, nowMs);
        }
        return true;
    }

    /** The run ends with {@code status} (it gets no other attempt). */
    void end(FanOutNode fanOut, RunNode run, ChildStatus status, String output, String error, long nowMs) {
        NodeStateMachine.move(run, switch (status) {
            case SUCCEEDED -> RunNodeStatus.SUCCEEDED;
            case TIMED_OUT -> RunNodeStatus.TIMED_OUT;
            default -> RunNodeStatus.FAILED;
        });
        if (run.getCompensates() != null) {
            compensations.ended(fanOut, run, status, error, nowMs);
        } else {
            completion.runEnded(fanOut, run, status, output, error, nowMs);
        }
    }

    /**
     * The attempt ran out of time (its deadline, or no heartbeat): a retryable failure while attempts are
     * left (a worker that crashed mid-run is covered this way, and a late report of the expired attempt is
     * stale); TIMED_OUT, with {@code reason}, when none are.
     */
    void expire(FanOutNode fanOut, RunNode run, String error, EndReason reason, long nowMs) {
        if (retry(fanOut, run, error, true, nowMs)) {
            return;
        }
        run.setReason(reason.text());
        end(fanOut, run, ChildStatus.TIMED_OUT, null, error, nowMs);
    }
}
