package dev.fanout.tree;

import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.Timer;

/**
 * What a due timer does; the fate of an attempt that a timer ends is decided in {@link Attempts}. Each checks that its target is still where the timer left it (same attempt,
 * same state, fan-out not finished); otherwise the timer is stale and does nothing.
 */
final class TimerActions {

    private final TreeState state;
    private final Releases releases;
    private final Attempts attempts;
    private final Stops stops;
    private final Compensations compensations;
    private final TreeCleanup cleanup;
    private final Heartbeats heartbeats;

    TimerActions(TreeState state, Releases releases, Attempts attempts, Stops stops, Compensations compensations,
            TreeCleanup cleanup, Heartbeats heartbeats) {
        this.state = state;
        this.releases = releases;
        this.attempts = attempts;
        this.stops = stops;
        this.compensations = compensations;
        this.cleanup = cleanup;
        this.heartbeats = heartbeats;
    }

    void fire(Timer timer, long nowMs) {
        switch (timer.getKind()) {
            case RETRY -> retry(timer, nowMs);
            case RUN_TIMEOUT -> runTimeout(timer, nowMs);
            case FAN_OUT_TIMEOUT -> fanOutTimeout(timer, nowMs);
            case CLEANUP -> cleanup.run(timer, nowMs);
            case HEARTBEAT -> heartbeats.due(timer, nowMs);
            case UNKNOWN -> {
                // written by a newer version: nothing this one knows to do
            }
        }
    }

    /** The backoff is over: the next attempt is triggered. */
    private void retry(Timer timer, long nowMs) {
        RunNode run = state.run(timer.getTargetId());
        if (run == null || run.getStatus() != RunNodeStatus.QUEUED || run.getAttempt() != timer.getAttempt()) {
            return;
        }
        FanOutNode fanOut = state.fanOut(run.getFanOutId());
        if (!Attempts.accepts(fanOut, run)) {
            return;
        }
        if (run.getCompensates() != null) {
            compensations.retry(fanOut, run, nowMs);
        } else {
            releases.retry(fanOut, run, nowMs);
        }
    }

    /** The run's deadline passed without an end: the attempt expires ({@link Attempts#expire}). */
    private void runTimeout(Timer timer, long nowMs) {
        RunNode run = state.run(timer.getTargetId());
        if (run == null || !NodeStateMachine.isActive(run.getStatus()) || run.getAttempt() != timer.getAttempt()) {
            return;
        }
        FanOutNode fanOut = state.fanOut(run.getFanOutId());
        if (!Attempts.accepts(fanOut, run)) {
            return;
        }
        String error = "run timed out after " + run.getTimeoutMs() + " ms (attempt " + run.getAttempt() + ")";
        attempts.expire(fanOut, run, error, EndReason.RUN_TIMEOUT, nowMs);
    }

    /** The fan-out's own timeout: it ends now as TIMED_OUT, with the results so far ({@link Stops#timeOut}). */
    private void fanOutTimeout(Timer timer, long nowMs) {
        FanOutNode fanOut = state.fanOut(timer.getTargetId());
        if (fanOut != null) {
            stops.timeOut(fanOut, nowMs);
        }
    }
}
