package dev.fanout.tree;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.Failure;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.RecordBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * Records a child's own outcome: counted on its fan-out and its tree, the first few failures kept,
 * its result kept in its run node for the fan-out's ordered results ({@link FanOutResults}).
 *
 * <p>What workers report is kept within the record budget, since it is stored and sent on: an error text
 * is cut to {@value #ERROR_MAX_CHARS} characters (saying so), the failures listed stop at a quarter of
 * the budget. A successful run whose output is larger than half of it fails instead ({@link #outputRefusal});
 * a failed run's output that large is left out of its result, with a reason saying why.
 */
final class Outcomes {

    static final int ERROR_MAX_CHARS = 4_096;

    private final TreeState state;
    private final int failuresMax;
    private final RecordBudget budget;

    Outcomes(TreeState state, int failuresMax, RecordBudget budget) {
        this.state = state;
        this.failuresMax = failuresMax;
        this.budget = budget;
    }

    /** The error as kept: cut to {@value #ERROR_MAX_CHARS} characters, saying how long it was. */
    static String cutError(String error) {
        if (error == null || error.length() <= ERROR_MAX_CHARS) {
            return error;
        }
        return error.substring(0, ERROR_MAX_CHARS) + "… (cut: " + error.length() + " characters in all)";
    }

    /** Why {@code output} cannot be carried as a result (more than half the record budget), or null when it can. */
    String outputRefusal(String output) {
        long outputBytes = RecordBudget.sizeOf(output);
        if (output == null || outputBytes <= budget.share(0.5)) {
            return null;
        }
        return "output of about " + outputBytes + " bytes is more than one result may take (" + budget.share(0.5)
                + " bytes: half the record budget, from max.request.size and max.message.bytes), so the run fails; "
                + "return a reference to large outputs instead";
    }

    /** Counts the outcome on {@code fanOut} (the caller saves it) and on the tree (saved here). */
    void record(FanOutNode fanOut, RunNode run, ChildStatus status, String output, String error, long nowMs) {
        error = cutError(error);
        String reason = status == ChildStatus.SKIPPED ? run.getReason() : null;
        long outputBytes = RecordBudget.sizeOf(output);
        if (output != null && outputBytes > budget.share(0.5)) {
            reason = "output of about " + outputBytes + " bytes left out: one result may take at most "
                    + budget.share(0.5) + " bytes (half the record budget, from max.request.size and "
                    + "max.message.bytes); return a reference to large outputs instead";
            output = null;
        }
        count(fanOut.getCounts(), status);
        TreeNode tree = state.tree(fanOut.getTreeId());
        count(tree.getCounts(), status);
        if (status == ChildStatus.FAILED || status == ChildStatus.TIMED_OUT) {
            Failure failure = new Failure(run.getRunId(), run.getSubscriptionId(), run.getItemIndex(), run.getAttempt(),
                    error);
            fanOut.setFailures(firstFew(fanOut.getFailures(), failure));
            tree.setFailures(firstFew(tree.getFailures(), failure));
        }
        if (status != ChildStatus.SKIPPED) {
            tree.setLastChildAt(nowMs);
        }
        state.save(tree, nowMs);
        ChildResult result = ChildResult.newBuilder()
                .setRunId(run.getRunId())
                .setSubscriptionId(run.getSubscriptionId())
                .setItemIndex(run.getItemIndex())
                .setStatus(status)
                .setOutput(output)
                .setError(error)
                .setReason(reason)
                .setAttempts(run.getAttempt())
                .build();
        run.setOutcome(result);
        state.save(run);
    }

    /** A retry is planned: counted on the fan-out (the caller saves it) and on the tree. */
    void retried(FanOutNode fanOut, long nowMs) {
        fanOut.getCounts().setRetries(fanOut.getCounts().getRetries() + 1);
        TreeNode tree = state.tree(fanOut.getTreeId());
        tree.getCounts().setRetries(tree.getCounts().getRetries() + 1);
        state.save(tree, nowMs);
    }

    /** The fan-out's timeout fired: every child without an outcome yet is timed out. Returns how many. */
    long timeOutUnfinished(FanOutNode fanOut, long nowMs) {
        Counts counts = fanOut.getCounts();
        long ended = counts.getSucceeded() + counts.getFailed() + counts.getTimedOut() + counts.getSkipped();
        long unfinished = Math.max(0, counts.getTotal() - ended);
        counts.setTimedOut(counts.getTimedOut() + unfinished);
        TreeNode tree = state.tree(fanOut.getTreeId());
        tree.getCounts().setTimedOut(tree.getCounts().getTimedOut() + unfinished);
        state.save(tree, nowMs);
        return unfinished;
    }

    private List<Failure> firstFew(List<Failure> failures, Failure failure) {
        if (failures.size() >= failuresMax
                || RecordBudget.sizeOf(failures) + RecordBudget.sizeOf(failure) > budget.share(0.25)) {
            return failures;
        }
        List<Failure> more = new ArrayList<>(failures);
        more.add(failure);
        return more;
    }

    private static void count(Counts counts, ChildStatus status) {
        switch (status) {
            case SUCCEEDED -> counts.setSucceeded(counts.getSucceeded() + 1);
            case FAILED -> counts.setFailed(counts.getFailed() + 1);
            case TIMED_OUT -> counts.setTimedOut(counts.getTimedOut() + 1);
            case SKIPPED -> counts.setSkipped(counts.getSkipped() + 1);
        }
    }
}
