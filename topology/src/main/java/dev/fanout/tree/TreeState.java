package dev.fanout.tree;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.TopologyNames;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The coordinator's stores, all keyed within one tree's partition. Every value is small: a node per
 * run, per fan-out and per tree, one entry per result, queued child and timer, and the query API's
 * indexes (children of a parent in plan order, fan-outs of a parent, trees newest first), and the fan-outs
 * a run said it emitted before they opened.
 *
 * <p>Runs, fan-outs and trees are read and saved through this class as one unit of work per input
 * record (or per timer): the first read decodes a node, later reads of the same node get the same
 * object, and {@link #save} only marks it changed. {@link #flush()} then writes each changed node once.
 * Applying one status moves its run, its fan-out and its tree several times each (slot freed, outcome
 * counted, child done); written at every move they were encoded two or three times per record, which
 * was the largest single cost in the profile (docs/benchmarks.md). Nothing is sent downstream that the
 * stores do not hold by the end of the same record, so what commits together is unchanged.
 */
final class TreeState {

    private final KeyValueStore<String, RunNode> runs;
    private final KeyValueStore<String, FanOutNode> fanOuts;
    private final KeyValueStore<String, TreeNode> trees;
    private final KeyValueStore<String, ChildResult> results;
    private final KeyValueStore<String, String> queued;
    private final KeyValueStore<Bytes, Timer> timers;
    private final KeyValueStore<String, Long> progressPending;
    private final KeyValueStore<String, String> children;
    private final KeyValueStore<String, String> childFanOuts;
    private final KeyValueStore<String, String> treesByStart;
    private final KeyValueStore<String, String> expectedFanOuts;

    private final Nodes<RunNode> runNodes;
    private final Nodes<FanOutNode> fanOutNodes;
    private final Nodes<TreeNode> treeNodes;
    /** Trees changed in this unit that are not done, with the time of their first change. */
    private final Map<String, Long> progressChanged = new HashMap<>();

    TreeState(KeyValueStore<String, RunNode> runs, KeyValueStore<String, FanOutNode> fanOuts,
            KeyValueStore<String, TreeNode> trees, KeyValueStore<String, ChildResult> results,
            KeyValueStore<String, String> queued, KeyValueStore<Bytes, Timer> timers,
            KeyValueStore<String, Long> progressPending, KeyValueStore<String, String> children,
            KeyValueStore<String, String> childFanOuts, KeyValueStore<String, String> treesByStart,
            KeyValueStore<String, String> expectedFanOuts) {
        this.runs = runs;
        this.fanOuts = fanOuts;
        this.trees = trees;
        this.results = results;
        this.queued = queued;
        this.timers = timers;
        this.progressPending = progressPending;
        this.children = children;
        this.childFanOuts = childFanOuts;
        this.treesByStart = treesByStart;
        this.expectedFanOuts = expectedFanOuts;
        this.runNodes = new Nodes<>(runs, RunNode::getRunId);
        this.fanOutNodes = new Nodes<>(fanOuts, FanOutNode::getFanOutId);
        this.treeNodes = new Nodes<>(trees, TreeNode::getTreeId);
    }

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
        return runNodes.get(runId);
    }

    /**
     * The run as this unit of work sees it, without keeping it: for reading many runs once (a fan-out's
     * results), which would otherwise all stay in memory until the unit ends.
     */
    RunNode peekRun(String runId) {
        return runNodes.peek(runId);
    }

    void save(RunNode run) {
        runNodes.changed(run);
    }

    FanOutNode fanOut(String fanOutId) {
        return fanOutNodes.get(fanOutId);
    }

    void save(FanOutNode fanOut) {
        fanOutNodes.changed(fanOut);
    }

    TreeNode tree(String treeId) {
        return treeNodes.get(treeId);
    }

    /** Saves the tree and, while it is not done, notes that its progress changed, for the next report. */
    void save(TreeNode tree, long nowMs) {
        treeNodes.changed(tree);
        if (tree.getDone()) {
            progressChanged.remove(tree.getTreeId());
        } else {
            progressChanged.putIfAbsent(tree.getTreeId(), nowMs);
        }
    }

    void deleteRun(String runId) {
        runNodes.delete(runId);
    }

    void deleteFanOut(String fanOutId) {
        fanOutNodes.delete(fanOutId);
    }

    void deleteTree(String treeId) {
        treeNodes.delete(treeId);
        progressChanged.remove(treeId);
    }

    /** Writes every node changed since the last flush, once, and forgets the nodes read. */
    void flush() {
        runNodes.flush();
        fanOutNodes.flush();
        treeNodes.flush();
        progressChanged.forEach(progressPending::putIfAbsent);
        progressChanged.clear();
    }

    /** Forgets the nodes of a unit of work that failed, without writing any of its changes. */
    void discard() {
        runNodes.discard();
        fanOutNodes.discard();
        treeNodes.discard();
        progressChanged.clear();
    }

    /**
     * The fan-out store itself, for scans (the metrics' count at start) only: a node read or written
     * here past {@link #fanOut} and {@link #save} would be out of step with the unit of work. So for trees.
     */
    KeyValueStore<String, FanOutNode> fanOuts() {
        return fanOuts;
    }

    KeyValueStore<String, TreeNode> trees() {
        return trees;
    }

    KeyValueStore<String, ChildResult> results() {
        return results;
    }

    KeyValueStore<String, String> queued() {
        return queued;
    }

    KeyValueStore<Bytes, Timer> timers() {
        return timers;
    }

    KeyValueStore<String, Long> progressPending() {
        return progressPending;
    }

    KeyValueStore<String, String> children() {
        return children;
    }

    KeyValueStore<String, String> childFanOuts() {
        return childFanOuts;
    }

    KeyValueStore<String, String> treesByStart() {
        return treesByStart;
    }

    KeyValueStore<String, String> expectedFanOuts() {
        return expectedFanOuts;
    }

    /** The nodes of one store in use by the current unit of work. */
    private static final class Nodes<N> {
        private final KeyValueStore<String, N> store;
        private final Function<N, String> key;
        private final Map<String, N> read = new HashMap<>();
        private final Map<String, N> changed = new LinkedHashMap<>();

        Nodes(KeyValueStore<String, N> store, Function<N, String> key) {
            this.store = store;
            this.key = key;
        }

        N get(String id) {
            N node = read.get(id);
            if (node == null) {
                node = store.get(id);
                if (node != null) {
                    read.put(id, node);
                }
            }
            return node;
        }

        N peek(String id) {
            N node = read.get(id);
            return node != null ? node : store.get(id);
        }

        void changed(N node) {
            String id = key.apply(node);
            read.put(id, node);
            changed.put(id, node);
        }

        void delete(String id) {
            read.remove(id);
            changed.remove(id);
            store.delete(id);
        }

        void flush() {
            changed.forEach(store::put);
            discard();
        }

        void discard() {
            changed.clear();
            read.clear();
        }
    }
}
