package dev.fanout.tree;

import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;

/**
 * An attempt that ran out of time without an end, at its deadline or for want of heartbeats. With attempts
 * left it is a retryable failure (a worker that crashed mid-run is covered this way), so the next attempt
 * follows the backoff and a late report of the expired one is stale; with none left the run is TIMED_OUT.
 */
final class ExpiredAttempts {

    private final Releases releases;
    private final Outcomes outcomes;
    private final Completion completion;

    ExpiredAttempts(Releases releases, Outcomes outcomes, Completion completion) {
        this.releases = releases;
        this.outcomes = outcomes;
        this.completion = completion;
    }

    /**
     * @param error what happened, naming the limit and the attempt
     * @param reason the run's reason when it ends TIMED_OUT
     */
    void expire(FanOutNode fanOut, RunNode run, String error, String reason, long nowMs) {
        int attempt = run.getAttempt();
        if (Backoff.retries(run.getRetry(), attempt, true)) {
            NodeStateMachine.move(run, RunNodeStatus.FAILED);
            run.setError(error);
            outcomes.retried(fanOut, nowMs);
            releases.awaitRetry(fanOut, run, nowMs + Backoff.delayMs(run.getRetry(), attempt), nowMs);
            return;
        }
        NodeStateMachine.move(run, RunNodeStatus.TIMED_OUT);
        run.setReason(reason);
        completion.runEnded(fanOut, run, ChildStatus.TIMED_OUT, null, error, nowMs);
    }
}
