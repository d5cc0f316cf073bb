package dev.fanout.tree;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompensationOf;
import dev.fanout.avro.CompensationResult;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.StopCause;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.tree.timer.Timers;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Undoing a fan-out that ended FAILED, TIMED_OUT or cancelled (a saga's rollback): every SUCCEEDED child
 * whose subscription declares {@code compensate_workflow} gets a compensation run, triggered with
 * {@code Trigger.compensation} set, the child's inputs and its output.
 *
 * <p>Order: reverse dependency order, one level at a time (the highest level first, the next once every
 * compensation of this one has ended), and within a level the child that completed last first. The order is
 * written once, when the fan-out ends, to {@code tree.compensations}, so a restart goes on from the store.
 * A compensation has the subscription's timeout and retry policy; one that fails for good (or times out) is
 * counted in {@code compensation_failed} and kept in its child's result, and the others still run. The
 * fan-out's FanOutDone, and so its tree's TreeDone, wait for the last one.
 *
 * <p>A compensation run is a run node of its own ({@code compensates} names the child), outside the children
 * index and the fan-out's slots: it does not count as a child, and {@code concurrency_limit} does not apply.
 */
final class Compensations {

    private final TreeState state;
    private final Releases releases;
    private final SiblingDependencies dependencies;
    private final Timers timers;
    private Completion completion;

    Compensations(TreeState state, Releases releases, SiblingDependencies dependencies, Timers timers) {
        this.state = state;
        this.releases = releases;
        this.dependencies = dependencies;
        this.timers = timers;
    }

    void completion(Completion completion) {
        this.completion = completion;
    }

    /**
     * The fan-out ended with {@code status} (not SUCCEEDED): lists its children to compensate and starts the
     * first level. Returns false when there is none (the fan-out finishes at once).
     */
    boolean start(FanOutNode fanOut, CompletionStatus status, long nowMs) {
        if (!fanOut.getHasDependencies()) {
            return false; // no child declared compensate_workflow (nor depends_on)
        }
        long listed = 0;
        for (RunNode run : succeededWithCompensation(fanOut)) {
            int level = dependencies.levelOf(fanOut, run.getSubscriptionId());
            state.compensations().put(StoreKeys.compensation(fanOut.getFanOutId(), level, run.getDoneSeq()),
                    run.getRunId());
            listed++;
        }
        if (listed == 0) {
            return false;
        }
        FanOutStateMachine.move(fanOut, FanOutState.COMPENSATING);
        fanOut.setEndReason(reason(fanOut, status));
        state.save(fanOut);
        startNextLevel(fanOut, nowMs);
        return true;
    }

    /** A compensation run's attempt failed and it has attempts left: its retry waits for the backoff. */
    void awaitRetry(RunNode run, long dueMs) {
        NodeStateMachine.move(run, RunNodeStatus.QUEUED);
        state.save(run);
        timers.retry(run.getTreeId(), run.getRunId(), run.getAttempt(), dueMs);
    }

    /** The retry timer of a compensation run fired. */
    void retry(FanOutNode fanOut, RunNode run, long nowMs) {
        RunNode undone = state.run(run.getCompensates());
        releases.send(fanOut, run, compensationOf(fanOut, undone), nowMs);
    }

    /** A compensation run ended for good: kept in its child's result, counted; the next level may start. */
    void ended(FanOutNode fanOut, RunNode run, ChildStatus status, String error, long nowMs) {
        run.setFinishedAt(nowMs);
        run.setDone(true);
        if (error != null) {
            run.setError(Outcomes.cutError(error));
        }
        state.save(run);
        RunNode undone = state.run(run.getCompensates());
        if (undone != null && undone.getOutcome() != null) {
            ChildResult outcome = ChildResult.newBuilder(undone.getOutcome()).setCompensation(CompensationResult.newBuilder()
                    .setRunId(run.getRunId()).setWorkflow(run.getWorkflow()).setStatus(status)
                    .setError(Outcomes.cutError(error)).setAttempts(run.getAttempt()).build()).build();
            undone.setOutcome(outcome);
            state.save(undone);
        }
        TreeNode tree = state.tree(fanOut.getTreeId());
        count(fanOut.getCounts(), status);
        count(tree.getCounts(), status);
        state.save(tree, nowMs);
        fanOut.setCompensationsOpen(fanOut.getCompensationsOpen() - 1);
        state.save(fanOut);
        if (fanOut.getCompensationsOpen() <= 0) {
            startNextLevel(fanOut, nowMs);
        }
    }

    /** The compensation of the child being undone, as its trigger says it. */
    private CompensationOf compensationOf(FanOutNode fanOut, RunNode undone) {
        return CompensationOf.newBuilder().setRunId(undone.getRunId()).setWorkflow(undone.getWorkflow())
                .setOutput(undone.getOutcome() == null ? null : undone.getOutcome().getOutput())
                .setReason(fanOut.getEndReason() == null ? "fan-out ended" : fanOut.getEndReason()).build();
    }

    /** Triggers every compensation of the highest level left, or finishes the fan-out when none is left. */
    private void startNextLevel(FanOutNode fanOut, long nowMs) {
        List<KeyValue<String, String>> level = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = state.compensations()
                .prefixScan(StoreKeys.fanOutPrefix(fanOut.getFanOutId()), Serdes.String().serializer())) {
            String levelPrefix = null;
            while (entries.hasNext()) {
                KeyValue<String, String> entry = entries.next();
                if (levelPrefix == null) {
                    int number = StoreKeys.compensationLevelOf(fanOut.getFanOutId(), entry.key);
                    levelPrefix = StoreKeys.compensationLevel(fanOut.getFanOutId(), number);
                    fanOut.setCompensationLevel(number);
                } else if (!entry.key.startsWith(levelPrefix)) {
                    break;
                }
                level.add(entry);
            }
        }
        if (level.isEmpty()) {
            completion.finish(fanOut, nowMs);
            return;
        }
        for (KeyValue<String, String> entry : level) {
            state.compensations().delete(entry.key);
            trigger(fanOut, state.run(entry.value), nowMs);
        }
        state.save(fanOut);
    }

    private void trigger(FanOutNode fanOut, RunNode undone, long nowMs) {
        String runId = TreeIds.compensationRunId(undone.getRunId());
        RunNode run = RunNode.newBuilder()
                .setRunId(runId)
                .setTreeId(undone.getTreeId())
                .setFanOutId(undone.getFanOutId())
                .setParentRunId(undone.getParentRunId())
                .setSubscriptionId(undone.getSubscriptionId())
                .setRepo(undone.getRepo())
                .setWorkflow(undone.getCompensateWorkflow())
                .setItemIndex(undone.getItemIndex())
                .setDepth(undone.getDepth())
                .setPath(undone.getPath())
                .setStatus(RunNodeStatus.PLANNED)
                .setInputs(undone.getInputs())
                .setItem(undone.getItem())
                .setTimeoutMs(undone.getTimeoutMs())
                .setRetry(undone.getRetry())
                .setHeartbeatTimeoutMs(undone.getHeartbeatTimeoutMs())
                .setCompensates(undone.getRunId())
                .setPayloadOmitted(undone.getPayloadOmitted())
                .build();
        undone.setCompensationRunId(runId);
        state.save(undone);
        fanOut.setCompensationsOpen(fanOut.getCompensationsOpen() + 1);
        releases.send(fanOut, run, compensationOf(fanOut, undone), nowMs);
    }

    /** SUCCEEDED children with a compensate_workflow, not compensated yet: one pass over the fan-out's children. */
    private List<RunNode> succeededWithCompensation(FanOutNode fanOut) {
        List<RunNode> runs = new ArrayList<>();
        for (String runId : state.childRunIds(fanOut)) {
            RunNode run = state.peekRun(runId);
            if (run != null && run.getStatus() == RunNodeStatus.SUCCEEDED && run.getCompensateWorkflow() != null
                    && run.getCompensationRunId() == null) {
                runs.add(run);
            }
        }
        return runs;
    }

    private String reason(FanOutNode fanOut, CompletionStatus status) {
        if (fanOut.getStop() == StopCause.CANCEL) {
            return EndReason.cancelled(state.tree(fanOut.getTreeId()));
        }
        if (status == CompletionStatus.TIMED_OUT) {
            return "fan-out TIMED_OUT: its timeout_ms passed";
        }
        if (fanOut.getRefusedReason() != null) {
            return "fan-out FAILED: " + fanOut.getRefusedReason();
        }
        Counts counts = fanOut.getCounts();
        var options = fanOut.getEvent().getFanOut();
        Integer tolerated = options == null ? null : options.getToleratedFailures();
        return "fan-out FAILED: " + (counts.getFailed() + counts.getTimedOut()) + " failures, "
                + (tolerated == null ? 0 : tolerated) + " tolerated";
    }

    private static void count(Counts counts, ChildStatus status) {
        if (status == ChildStatus.SUCCEEDED) {
            counts.setCompensated(counts.getCompensated() + 1);
        } else {
            counts.setCompensationFailed(counts.getCompensationFailed() + 1);
        }
    }
}
