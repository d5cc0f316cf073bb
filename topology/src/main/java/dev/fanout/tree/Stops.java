package dev.fanout.tree;

import dev.fanout.avro.Cancellation;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.OnFailure;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.StopCause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a fan-out stops releasing children before its plan runs out, for one of three causes:
 * <ul>
 *   <li>{@code fail_fast}: failures exceed {@code tolerated_failures}; queued and waiting children (and those in
 *       QUOTA_WAIT, whose requests are withdrawn) are skipped,
 *       running ones (and those waiting for a retry) finish; the fan-out drains, then ends FAILED.</li>
 *   <li>a cancel of its tree: the same, and the runs a worker is on are told ({@code run-cancellations}); a run
 *       waiting for a retry gets none and is skipped; the fan-out drains, then ends FAILED, cancelled.</li>
 *   <li>its timeout: it ends at once, TIMED_OUT: queued children and those in QUOTA_WAIT time out, waiting ones
 *       are skipped, running ones are counted as timed out and their later reports ignored; every admission
 *       request or slot its children hold is released.</li>
 * </ul>
 * A fan-out that ends FAILED, TIMED_OUT or cancelled then compensates ({@link Compensations}).
 */
final class Stops {

    private final TreeState state;
    private final Releases releases;
    private final SiblingDependencies dependencies;
    private final Completion completion;
    private final Outcomes outcomes;
    private final Outputs outputs;

    Stops(TreeState state, Releases releases, SiblingDependencies dependencies, Completion completion,
            Outcomes outcomes, Outputs outputs) {
        this.state = state;
        this.releases = releases;
        this.dependencies = dependencies;
        this.completion = completion;
        this.outcomes = outcomes;
        this.outputs = outputs;
    }

    /** After a failure is counted: a {@code fail_fast} fan-out over its tolerance stops releasing. */
    void failFastIfOver(FanOutNode fanOut, long nowMs) {
        FanOutOptions options = fanOut.getEvent().getFanOut();
        if (options == null || options.getOnFailure() != OnFailure.FAIL_FAST || !FanOutStateMachine.releases(fanOut)
                || !Statuses.overTolerance(fanOut)) {
            return;
        }
        Counts counts = fanOut.getCounts();
        Integer tolerated = options.getToleratedFailures();
        drain(fanOut, StopCause.FAIL_FAST, EndReason.FAIL_FAST.text((counts.getFailed() + counts.getTimedOut())
                + " failures, " + (tolerated == null ? 0 : tolerated) + " tolerated"), nowMs);
    }

    /** The tree is cancelled: this fan-out releases nothing more, tells its running runs, and drains. */
    void cancel(FanOutNode fanOut, Cancellation cancellation, long nowMs) {
        if (!FanOutStateMachine.countsChildren(fanOut)) {
            return; // compensating or finished: a cancel does not stop a compensation
        }
        String reason = EndReason.CANCELLED.text(cancellation.getReason());
        if (FanOutStateMachine.releases(fanOut)) {
            drain(fanOut, StopCause.CANCEL, reason, nowMs);
        } else {
            fanOut.setStop(StopCause.CANCEL); // draining after fail_fast: now cancelled too, retries stop
            state.save(fanOut);
        }
        for (RunNode run : inFlight(fanOut)) {
            if (NodeStateMachine.isActive(run.getStatus())) {
                outputs.runCancellation(RunCancellation.newBuilder().setRunId(run.getRunId()).setTreeId(run.getTreeId())
                        .setRepo(run.getRepo()).setAttempt(run.getAttempt()).setReason(cancellation.getReason())
                        .setCancelledAt(Instant.ofEpochMilli(nowMs)).build(), nowMs);
            } else if (run.getStatus() == RunNodeStatus.QUEUED && run.getAttempt() > 1) {
                releases.dropRetry(fanOut, nowMs); // waiting for a retry it will not get
                skip(fanOut, run, reason, nowMs);
            } else if (run.getStatus() == RunNodeStatus.QUOTA_WAIT) {
                releases.dropQuotaWait(fanOut, nowMs); // a retry waiting for its repository's grant
                skip(fanOut, run, reason, nowMs);
            }
        }
        completion.finishIfDone(fanOut, nowMs);
    }

    /** A cancel of a tree that reaches a fan-out as it opens: it releases nothing. */
    void cancelledAtOpen(FanOutNode fanOut) {
        FanOutStateMachine.move(fanOut, FanOutState.DRAINING);
        fanOut.setStop(StopCause.CANCEL);
        state.save(fanOut);
    }

    /** Why a child planned into a draining fan-out is skipped as it arrives. */
    String reasonOf(FanOutNode fanOut) {
        if (fanOut.getStop() == StopCause.CANCEL) {
            return EndReason.cancelled(state.tree(fanOut.getTreeId()));
        }
        return EndReason.FAIL_FAST.text("failures exceed tolerated_failures");
    }

    /** The fan-out's own timeout: it ends now, TIMED_OUT, with the results so far. */
    void timeOut(FanOutNode fanOut, long nowMs) {
        if (!FanOutStateMachine.countsChildren(fanOut)) {
            return;
        }
        fanOut.setStop(StopCause.TIMEOUT);
        state.save(fanOut);
        for (RunNode run : releases.takeQueued(fanOut, nowMs)) {
            NodeStateMachine.move(run, RunNodeStatus.TIMED_OUT);
            run.setReason(EndReason.FAN_OUT_TIMEOUT.text());
            run.setFinishedAt(nowMs);
            state.save(run);
        }
        dependencies.skipAllWaiting(fanOut, EndReason.FAN_OUT_TIMEOUT.text(), false, nowMs);
        for (RunNode run : inFlight(fanOut)) {
            if (run.getStatus() == RunNodeStatus.QUOTA_WAIT) {
                NodeStateMachine.move(run, RunNodeStatus.TIMED_OUT);
                run.setReason(EndReason.FAN_OUT_TIMEOUT.text());
                run.setFinishedAt(nowMs);
                releases.releaseQuota(run, nowMs); // withdraws its request
            } else if (run.getQuotaHeld()) {
                releases.releaseQuota(run, nowMs); // left running: its slot is given back now
            }
        }
        releases.abandonInFlight(fanOut, nowMs);
        outcomes.timeOutUnfinished(fanOut, nowMs);
        completion.end(fanOut, nowMs);
    }

    private void drain(FanOutNode fanOut, StopCause cause, String reason, long nowMs) {
        FanOutStateMachine.move(fanOut, FanOutState.DRAINING);
        fanOut.setStop(cause);
        state.save(fanOut);
        for (RunNode run : releases.takeQueued(fanOut, nowMs)) {
            skip(fanOut, run, reason, nowMs);
        }
        for (RunNode run : inFlight(fanOut)) {
            if (run.getStatus() == RunNodeStatus.QUOTA_WAIT) {
                releases.dropQuotaWait(fanOut, nowMs);
                skip(fanOut, run, reason, nowMs); // withdraws its request
            }
        }
        dependencies.skipAllWaiting(fanOut, reason, true, nowMs);
    }

    /** Skips a queued run, a retry or a run in QUOTA_WAIT (whose request is withdrawn). */
    private void skip(FanOutNode fanOut, RunNode run, String reason, long nowMs) {
        NodeStateMachine.move(run, RunNodeStatus.SKIPPED);
        run.setReason(reason);
        run.setFinishedAt(nowMs);
        releases.releaseQuota(run, nowMs);
        fanOut.setSkipped(fanOut.getSkipped() + 1);
        state.save(fanOut);
        completion.skipped(fanOut, run, nowMs);
    }

    /**
     * The fan-out's children a worker is on, that wait for a retry or in QUOTA_WAIT, in plan order: one pass over its children
     * (a cancel is rare), keeping only those in the unit of work.
     */
    private List<RunNode> inFlight(FanOutNode fanOut) {
        List<RunNode> runs = new ArrayList<>();
        for (String runId : state.childRunIds(fanOut)) {
            RunNode run = state.peekRun(runId);
            if (run != null && (NodeStateMachine.isActive(run.getStatus()) || run.getStatus() == RunNodeStatus.QUOTA_WAIT
                    || run.getStatus() == RunNodeStatus.QUEUED && run.getAttempt() > 1)) {
                runs.add(state.run(runId));
            }
        }
        return runs;
    }
}
