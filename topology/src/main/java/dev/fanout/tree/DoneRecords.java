package dev.fanout.tree;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.TreeNode;
import java.time.Instant;
import java.util.List;

/** How a fan-out or a tree ended, and the contract records that say so. Pure functions of the nodes. */
final class DoneRecords {

    private DoneRecords() {
    }

    /** TIMED_OUT if its own timeout fired; FAILED if refused or more than tolerated children failed or timed out. */
    static CompletionStatus statusOf(FanOutNode fanOut) {
        if (fanOut.getTimedOut()) {
            return CompletionStatus.TIMED_OUT;
        }
        if (fanOut.getRefusedReason() != null) {
            return CompletionStatus.FAILED;
        }
        FanOutOptions options = fanOut.getEvent().getFanOut();
        Integer tolerated = options == null ? null : options.getToleratedFailures();
        Counts counts = fanOut.getCounts();
        long failures = counts.getFailed() + counts.getTimedOut();
        return failures > (tolerated == null ? 0 : tolerated) ? CompletionStatus.FAILED : CompletionStatus.SUCCEEDED;
    }

    /** FAILED if any fan-out of the tree failed, else TIMED_OUT if any timed out, else SUCCEEDED. */
    static CompletionStatus statusOf(TreeNode tree) {
        return tree.getFailedFanOuts() > 0 ? CompletionStatus.FAILED
                : tree.getTimedOutFanOuts() > 0 ? CompletionStatus.TIMED_OUT : CompletionStatus.SUCCEEDED;
    }

    static FanOutDone fanOutDone(FanOutNode fanOut, CompletionStatus status, long nowMs, List<ChildResult> results,
            boolean truncated) {
        return FanOutDone.newBuilder()
                .setFanOutId(fanOut.getFanOutId())
                .setTreeId(fanOut.getTreeId())
                .setParentRunId(fanOut.getParentRunId())
                .setEventId(fanOut.getEvent().getEventId())
                .setStatus(status)
                .setCounts(copy(fanOut.getCounts()))
                .setStartedAt(Instant.ofEpochMilli(fanOut.getStartedAt()))
                .setFinishedAt(Instant.ofEpochMilli(nowMs))
                .setFailures(List.copyOf(fanOut.getFailures()))
                .setResults(results)
                .setResultsTruncated(truncated)
                .setResultsOmitted(fanOut.getCounts().getTotal() - results.size())
                .build();
    }

    static TreeDone treeDone(TreeNode tree, long nowMs) {
        return TreeDone.newBuilder()
                .setTreeId(tree.getTreeId())
                .setArtifact(tree.getArtifact())
                .setStatus(statusOf(tree))
                .setCounts(copy(tree.getCounts()))
                .setStartedAt(Instant.ofEpochMilli(tree.getStartedAt()))
                .setFinishedAt(Instant.ofEpochMilli(nowMs))
                .setFailures(List.copyOf(tree.getFailures()))
                .build();
    }

    /** A copy, so that a record on its way out never shares a mutable part with a stored node. */
    static Counts copy(Counts counts) {
        return Counts.newBuilder(counts).build();
    }
}
