package dev.fanout.tree;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.TopologyNames;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The coordinator's stores, all keyed within one tree's partition. Every value is small: a node per
 * run, per fan-out and per tree, one entry per result, queued child and timer, and the query API's
 * indexes (children of a parent in plan order, fan-outs of a parent, trees newest first), and the fan-outs
 * a run said it emitted before they opened.
 */
record TreeState(
        KeyValueStore<String, RunNode> runs,
        KeyValueStore<String, FanOutNode> fanOuts,
        KeyValueStore<String, TreeNode> trees,
        KeyValueStore<String, ChildResult> results,
        KeyValueStore<String, String> queued,
        KeyValueStore<Bytes, Timer> timers,
        KeyValueStore<String, Long> progressPending,
        KeyValueStore<String, String> children,
        KeyValueStore<String, String> childFanOuts,
        KeyValueStore<String, String> treesByStart,
        KeyValueStore<String, String> expectedFanOuts) {

    static TreeState of(ProcessingContext context) {
        return new TreeState(
                context.getStateStore(TopologyNames.TREE_RUNS),
                context.getStateStore(TopologyNames.TREE_FAN_OUTS),
                context.getStateStore(TopologyNames.TREE_TREES),
                context.getStateStore(TopologyNames.TREE_RESULTS),
                context.getStateStore(TopologyNames.TREE_QUEUED),
                context.getStateStore(TopologyNames.TREE_TIMERS),
                context.getStateStore(TopologyNames.TREE_PROGRESS_PENDING),
                context.getStateStore(TopologyNames.TREE_CHILDREN),
                context.getStateStore(TopologyNames.TREE_CHILD_FAN_OUTS),
                context.getStateStore(TopologyNames.TREE_TREES_BY_START),
                context.getStateStore(TopologyNames.TREE_EXPECTED_FAN_OUTS));
    }

    RunNode run(String runId) {
        return runs.get(runId);
    }

    void save(RunNode run) {
        runs.put(run.getRunId(), run);
    }

    FanOutNode fanOut(String fanOutId) {
        return fanOuts.get(fanOutId);
    }

    void save(FanOutNode fanOut) {
        fanOuts.put(fanOut.getFanOutId(), fanOut);
    }

    TreeNode tree(String treeId) {
        return trees.get(treeId);
    }

    /** Saves the tree and notes that its progress changed, for the next progress report. */
    void save(TreeNode tree, long nowMs) {
        trees.put(tree.getTreeId(), tree);
        if (!tree.getDone()) {
            progressPending.putIfAbsent(tree.getTreeId(), nowMs);
        }
    }
}
