package dev.fanout.tree;

import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.StopCause;
import dev.fanout.avro.internal.TreeNode;

/**
 * How a fan-out or a tree ended (or stands so far), derived from its node: the one rule the coordinator's
 * FanOutDone and TreeDone and the query API's answers share.
 */
public final class Statuses {

    private Statuses() {
    }

    /**
     * TIMED_OUT if its own timeout fired; FAILED if cancelled, refused, or more children failed or timed out
     * than it tolerates; SUCCEEDED otherwise.
     */
    public static CompletionStatus of(FanOutNode fanOut) {
        FanOutStateMachine.of(fanOut);
        if (fanOut.getStop() == StopCause.TIMEOUT) {
            return CompletionStatus.TIMED_OUT;
        }
        if (fanOut.getStop() == StopCause.CANCEL || fanOut.getRefusedReason() != null || overTolerance(fanOut)) {
            return CompletionStatus.FAILED;
        }
        return CompletionStatus.SUCCEEDED;
    }

    /** More children failed or timed out than {@code tolerated_failures} (0 when unset). */
    static boolean overTolerance(FanOutNode fanOut) {
        FanOutOptions options = fanOut.getEvent().getFanOut();
        Integer tolerated = options == null ? null : options.getToleratedFailures();
        Counts counts = fanOut.getCounts();
        return counts.getFailed() + counts.getTimedOut() > (tolerated == null ? 0 : tolerated);
    }

    /** FAILED if cancelled or any fan-out of the tree failed, else TIMED_OUT if any timed out, else SUCCEEDED. */
    public static CompletionStatus of(TreeNode tree) {
        if (tree.getCancelled() != null || tree.getFailedFanOuts() > 0) {
            return CompletionStatus.FAILED;
        }
        return tree.getTimedOutFanOuts() > 0 ? CompletionStatus.TIMED_OUT : CompletionStatus.SUCCEEDED;
    }

    /** The fan-out's state; a node stored by 0.1.x gets it (and its stop) from its booleans. */
    public static FanOutState stateOf(FanOutNode fanOut) {
        return FanOutStateMachine.of(fanOut);
    }

    /** Whether the fan-out has finished: its FanOutDone is out and nothing of it moves any more. */
    public static boolean isFinished(FanOutNode fanOut) {
        return FanOutStateMachine.isFinished(fanOut);
    }
}
