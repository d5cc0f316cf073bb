package dev.fanout.tree;

import dev.fanout.avro.RunProgress;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.LastProgress;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.Timer;
import dev.fanout.tree.timer.Timers;

/**
 * Liveness of running attempts, for subscriptions with {@code heartbeat_timeout_ms}: every report of the
 * current attempt ({@code STARTED}, with or without progress) is a heartbeat, noted by the coordinator's
 * own clock when it arrives; the worker's {@code reported_at} is never read, so a skewed worker clock
 * neither hastens nor delays anything. An attempt with no heartbeat for the timeout, counted from its
 * trigger, expires like one past its deadline ({@link Attempts#expire}).
 *
 * <p>One timer per attempt is live: scheduled when the attempt is triggered ({@link Releases#trigger}) and,
 * when it fires after a heartbeat came, moved to that heartbeat plus the timeout. A timer per report would
 * write one store entry per heartbeat of every worker.
 */
final class Heartbeats {

    /** Progress is kept in the run node, which stays small: longer messages are cut, larger details left out. */
    static final int MESSAGE_MAX_CHARS = 1_000;
    static final int DETAILS_MAX_CHARS = 16_384;

    private final TreeState state;
    private final Timers timers;
    private Attempts attempts;

    Heartbeats(TreeState state, Timers timers) {
        this.state = state;
        this.timers = timers;
    }

    /** Set once, after construction: attempts are built after heartbeats' users. */
    void attempts(Attempts attempts) {
        this.attempts = attempts;
    }

    /** A report of the run's current, active attempt: its heartbeat and its progress, if any. Saves nothing. */
    void reported(RunNode run, RunStatus status, long nowMs) {
        if (run.getHeartbeatTimeoutMs() != null) {
            run.setReportedAt(nowMs);
        }
        RunProgress progress = status.getProgress();
        if (progress != null) {
            String message = progress.getMessage();
            if (message.length() > MESSAGE_MAX_CHARS) {
                message = message.substring(0, MESSAGE_MAX_CHARS) + "… (cut: " + message.length() + " characters in all)";
            }
            String details = progress.getDetails();
            if (details != null && details.length() > DETAILS_MAX_CHARS) {
                message += " (details of " + details.length() + " characters left out: at most " + DETAILS_MAX_CHARS
                        + " are kept; report a summary, or a reference to the rest)";
                details = null;
            }
            run.setProgress(LastProgress.newBuilder().setMessage(message).setDetails(details).setAt(nowMs)
                    .setAttempt(run.getAttempt()).build());
        }
    }

    /** The attempt's heartbeat timer is due: rescheduled if a heartbeat came since, the attempt expired if not. */
    void due(Timer timer, long nowMs) {
        RunNode run = state.run(timer.getTargetId());
        if (run == null || !NodeStateMachine.isActive(run.getStatus()) || run.getAttempt() != timer.getAttempt()
                || run.getHeartbeatTimeoutMs() == null) {
            return;
        }
        FanOutNode fanOut = state.fanOut(run.getFanOutId());
        if (!Attempts.accepts(fanOut, run)) {
            return;
        }
        long timeoutMs = run.getHeartbeatTimeoutMs();
        Long lastMs = run.getReportedAt();
        if (lastMs != null && lastMs + timeoutMs > nowMs) {
            timers.heartbeat(run.getTreeId(), run.getRunId(), run.getAttempt(), lastMs + timeoutMs);
            return;
        }
        String error = "no heartbeat for " + timeoutMs + " ms (attempt " + run.getAttempt() + ")";
        attempts.expire(fanOut, run, error, EndReason.HEARTBEAT_TIMEOUT, nowMs);
    }
}
