package dev.fanout.tree;

import dev.fanout.avro.Cancellation;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.StopCause;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.RecordBudget;
import dev.fanout.tree.timer.Timers;
import java.util.List;

/**
 * Deep synchronization: where runs, fan-outs and trees finish.
 *
 * <p>A run is done when its own status has ended and every fan-out it emitted and waits for is done;
 * a fan-out is done when it is sealed and all its children are done; the tree is done when its root
 * fan-out and every fan-out nobody waits for are done. Each step up is a counter on the level above,
 * so finishing is O(depth), never a scan of children. A fan-out's end and its finish are apart when it
 * compensates: {@link #end} starts the compensation, {@link #finish} sends FanOutDone once it is over.
 */
final class Completion {

    private final TreeState state;
    private final Outputs outputs;
    private final Outcomes outcomes;
    private final Releases releases;
    private final FanOutResults results;
    private final TreeMetrics metrics;
    private final Timers timers;
    private final long retentionMs;
    private final RecordBudget budget;
    private SiblingDependencies dependencies;
    private Stops stops;
    private Compensations compensations;

    Completion(TreeState state, Outputs outputs, Outcomes outcomes, Releases releases, FanOutResults results,
            TreeMetrics metrics, Timers timers, long retentionMs, RecordBudget budget) {
        this.budget = budget;
        this.timers = timers;
        this.retentionMs = retentionMs;
        this.state = state;
        this.outputs = outputs;
        this.outcomes = outcomes;
        this.releases = releases;
        this.results = results;
        this.metrics = metrics;
    }

    /** Set once, after construction: these and completion call each other. */
    void wire(SiblingDependencies dependencies, Stops stops, Compensations compensations) {
        this.dependencies = dependencies;
        this.stops = stops;
        this.compensations = compensations;
    }

    /**
     * A triggered run's own status ended ({@code run} already moved): give its repository's slot back (if it
     * asked for one), count it, stop a fail_fast fan-out it pushed over its tolerance (before its slot frees, so
     * nothing queued takes it), free its fan-out's slot, maybe finish it.
     */
    void runEnded(FanOutNode fanOut, RunNode run, ChildStatus status, String output, String error, long nowMs) {
        run.setFinishedAt(nowMs);
        if (error != null) {
            run.setError(Outcomes.cutError(error));
        }
        releases.releaseQuota(run, nowMs);
        outcomes.record(fanOut, run, status, output, error, nowMs);
        stops.failFastIfOver(fanOut, nowMs);
        releases.slotFreed(fanOut, nowMs);
        if (run.getOpenFanOuts() == 0) {
            runDone(fanOut, run, nowMs);
        }
    }

    /** A child that never runs (skipped) is done as soon as it is planned. */
    void skipped(FanOutNode fanOut, RunNode run, long nowMs) {
        outcomes.record(fanOut, run, ChildStatus.SKIPPED, null, null, nowMs);
        runDone(fanOut, run, nowMs);
    }

    /** A child whose trigger cannot be written ({@code run} already moved to FAILED) fails as it is planned. */
    void untriggerable(FanOutNode fanOut, RunNode run, String error, long nowMs) {
        run.setFinishedAt(nowMs);
        run.setError(error);
        state.save(run);
        outcomes.record(fanOut, run, ChildStatus.FAILED, null, error, nowMs);
        stops.failFastIfOver(fanOut, nowMs);
        runDone(fanOut, run, nowMs);
    }

    /** A child's outcome counted without it being done: its fan-out is ending at once (its timeout). */
    void recordOnly(FanOutNode fanOut, RunNode run, ChildStatus status, long nowMs) {
        outcomes.record(fanOut, run, status, null, null, nowMs);
    }

    /** The run and all it waits for are done: one more done child for its fan-out, and for its siblings. */
    void runDone(FanOutNode fanOut, RunNode run, long nowMs) {
        run.setDone(true);
        fanOut.setDoneSeq(fanOut.getDoneSeq() + 1);
        run.setDoneSeq(fanOut.getDoneSeq());
        state.save(run);
        fanOut.setDoneChildren(fanOut.getDoneChildren() + 1);
        state.save(fanOut);
        dependencies.childDone(fanOut, run, nowMs);
        finishIfDone(fanOut, nowMs);
    }

    /** Ends the fan-out if it is sealed, still counting its children, and every child is done. */
    void finishIfDone(FanOutNode fanOut, long nowMs) {
        if (FanOutStateMachine.countsChildren(fanOut) && FanOutStateMachine.isSealed(fanOut)
                && fanOut.getDoneChildren() >= fanOut.getChildren()) {
            end(fanOut, nowMs);
        }
    }

    /**
     * Its children are done, or its timeout fired: a fan-out that ended FAILED, TIMED_OUT or cancelled first
     * compensates its succeeded children ({@link Compensations}), then finishes; any other finishes now.
     */
    void end(FanOutNode fanOut, long nowMs) {
        CompletionStatus status = Statuses.of(fanOut);
        if (status != CompletionStatus.SUCCEEDED && compensations.start(fanOut, status, nowMs)) {
            return; // finishes when the last level of compensations has ended
        }
        finish(fanOut, nowMs);
    }

    /** An emitter that does not wait gets its FanOutDone when the plan is sealed, with the counts so far. */
    void sendEarlyDone(FanOutNode fanOut, long nowMs) {
        outputs.fanOutDone(DoneRecords.fanOutDone(fanOut, CompletionStatus.SUCCEEDED, nowMs, List.of(), false,
                cancellationOf(fanOut)), nowMs);
        fanOut.setDoneSent(true);
        state.save(fanOut);
    }

    /** The fan-out is over (and compensated): its FanOutDone, and the news carried up the tree. */
    void finish(FanOutNode fanOut, long nowMs) {
        FanOutStateMachine.move(fanOut, FanOutState.FINISHED);
        fanOut.setFinishedAt(nowMs);
        metrics.fanOutFinished(fanOut.getFanOutId());
        CompletionStatus status = Statuses.of(fanOut);
        if (!fanOut.getDoneSent()) {
            outputs.fanOutDone(fanOutDone(fanOut, status, nowMs), nowMs);
            fanOut.setDoneSent(true);
        }
        state.save(fanOut);
        TreeNode tree = state.tree(fanOut.getTreeId());
        if (status == CompletionStatus.FAILED) {
            tree.setFailedFanOuts(tree.getFailedFanOuts() + 1);
        } else if (status == CompletionStatus.TIMED_OUT) {
            tree.setTimedOutFanOuts(tree.getTimedOutFanOuts() + 1);
        }
        if (!fanOut.getParentWaits()) {
            tree.setOpenFanOuts(tree.getOpenFanOuts() - 1);
        }
        tree.setFanOutsInFlight(Math.max(0, tree.getFanOutsInFlight() - 1));
        state.save(tree, nowMs);
        if (fanOut.getParentWaits()) {
            parentFanOutDone(fanOut.getParentRunId(), nowMs);
        } else if (tree.getOpenFanOuts() <= 0 && !tree.getDone()) {
            finishTree(tree, nowMs);
        }
    }

    /** The fan-out's FanOutDone, its results cut to what the record budget leaves beside the rest of it. */
    private FanOutDone fanOutDone(FanOutNode fanOut, CompletionStatus status, long nowMs) {
        Cancellation cancelled = cancellationOf(fanOut);
        long rest = RecordBudget.sizeOf(DoneRecords.fanOutDone(fanOut, status, nowMs, List.of(), false, cancelled));
        FanOutResults.Page page = results.first(fanOut, budget.bytes() - rest);
        return DoneRecords.fanOutDone(fanOut, status, nowMs, page.results(), page.truncated(), cancelled);
    }

    /** The tree's cancellation, for a fan-out its cancel stopped. */
    private Cancellation cancellationOf(FanOutNode fanOut) {
        if (fanOut.getStop() != StopCause.CANCEL) {
            return null;
        }
        TreeNode tree = state.tree(fanOut.getTreeId());
        return tree == null ? null : tree.getCancelled();
    }

    /** Whether the emitter of an event waits for its children (the default). */
    static boolean waitsForChildren(FanOutOptions options) {
        return options == null || options.getWaitForChildren();
    }

    /**
     * One fan-out the run waited for is done, or turned out not to be one it waits for: one fewer open,
     * and the run is done if that was the last and its own status has ended.
     */
    void parentFanOutDone(String parentRunId, long nowMs) {
        RunNode parent = state.run(parentRunId);
        parent.setOpenFanOuts(parent.getOpenFanOuts() - 1);
        state.save(parent);
        if (parent.getOpenFanOuts() == 0 && NodeStateMachine.isEnd(parent.getStatus()) && !parent.getDone()
                && parent.getStatus() != RunNodeStatus.SKIPPED) {
            FanOutNode parentFanOut = state.fanOut(parent.getFanOutId());
            if (FanOutStateMachine.countsChildren(parentFanOut)) {
                runDone(parentFanOut, parent, nowMs);
            }
        }
    }

    private void finishTree(TreeNode tree, long nowMs) {
        tree.setDone(true);
        tree.setRunning(0);
        tree.setQueued(0);
        tree.setFinishedAt(nowMs);
        state.save(tree, nowMs);
        timers.cleanup(tree.getTreeId(), nowMs + retentionMs);
        state.progressPending().delete(tree.getTreeId());
        outputs.treeDone(DoneRecords.treeDone(tree, nowMs), nowMs);
        outputs.progress(Progress.of(tree, nowMs), nowMs);
        metrics.treeDone(tree, nowMs);
    }
}
