package dev.fanout.tree;

import dev.fanout.avro.TreeProgress;
import dev.fanout.avro.internal.TreeNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Rate-limited TreeProgress: a change marks its tree as pending ({@link TreeState#save(TreeNode, long)}),
 * and every progress interval this sends one record per pending tree. So a tree reports at most once an
 * interval however busy it is, and its completion is sent at once by {@link Completion}.
 */
final class Progress {

    private final TreeState state;
    private final Outputs outputs;

    Progress(TreeState state, Outputs outputs) {
        this.state = state;
        this.outputs = outputs;
    }

    static TreeProgress of(TreeNode tree, long nowMs) {
        return TreeProgress.newBuilder()
                .setTreeId(tree.getTreeId())
                .setCounts(DoneRecords.copy(tree.getCounts()))
                .setRunning(tree.getRunning())
                .setQueued(tree.getQueued())
                .setDone(tree.getDone())
                .setUpdatedAt(Instant.ofEpochMilli(nowMs))
                .build();
    }

    /** Sends the progress of every tree that changed since the last call. */
    void sendPending(long nowMs) {
        List<String> pending = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = state.progressPending().all()) {
            all.forEachRemaining((KeyValue<String, Long> entry) -> pending.add(entry.key));
        }
        for (String treeId : pending) {
            state.progressPending().delete(treeId);
            TreeNode tree = state.tree(treeId);
            if (tree != null && !tree.getDone()) {
                outputs.progress(of(tree, nowMs), nowMs);
            }
        }
    }
}
