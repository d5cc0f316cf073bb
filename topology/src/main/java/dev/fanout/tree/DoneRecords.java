package dev.fanout.tree;

import dev.fanout.avro.Cancellation;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.TreeNode;
import java.time.Instant;
import java.util.List;

/** The contract records that say how a fan-out or a tree ended ({@link Statuses}). Pure functions of the nodes. */
final class DoneRecords {

    private DoneRecords() {
    }

    static FanOutDone fanOutDone(FanOutNode fanOut, CompletionStatus status, long nowMs, List<ChildResult> results,
            boolean truncated, Cancellation cancelled) {
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
                .setCancelled(cancelled == null ? null : Cancellation.newBuilder(cancelled).build())
                .build();
    }

    static TreeDone treeDone(TreeNode tree, long nowMs) {
        return TreeDone.newBuilder()
                .setTreeId(tree.getTreeId())
                .setArtifact(tree.getArtifact())
                .setStatus(Statuses.of(tree))
                .setCounts(copy(tree.getCounts()))
                .setStartedAt(Instant.ofEpochMilli(tree.getStartedAt()))
                .setFinishedAt(Instant.ofEpochMilli(nowMs))
                .setFailures(List.copyOf(tree.getFailures()))
                .setCancelled(tree.getCancelled() == null ? null : Cancellation.newBuilder(tree.getCancelled()).build())
                .build();
    }

    /** A copy, so that a record on its way out never shares a mutable part with a stored node. */
    static Counts copy(Counts counts) {
        return Counts.newBuilder(counts).build();
    }
}
