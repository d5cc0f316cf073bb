package dev.fanout.tree;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.SiblingGroup;
import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.TopologyNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The coordinator's stores ({@link CoordinatorStores}), all keyed within one tree's partition. Every value
 * is small: a node per run, per fan-out, per tree and per sibling group of a fan-out with dependencies, one
 * entry per queued, waiting or to-be-compensated child and per timer, the query API's indexes (children of a
 * parent in plan order, fan-outs of a parent, trees newest first), and the fan-outs a run said it emitted
 * before they opened. The one value as large as an event, a fan-out's payload, is kept apart from its node
 * ({@link #keepPayloadApart}): the node is read and rewritten by every report of its children.
 *
 * <p>Runs, fan-outs and trees are read and saved through this class as one unit of work per input
 * record (or per timer): the first read decodes a node, later reads of the same node get the same
 * object, and {@link #save} only marks it changed. {@link #flush()} then writes each changed node once.
 * Applying one status moves its run, its fan-out and its tree several times each (slot freed, outcome
 * counted, child done); written at every move they were encoded two or three times per record, which
 * was the largest single cost in the profile (docs/benchmarks.md). Nothing is sent downstream that the
 * stores do not hold by the end of the same record, so what commits together is unchanged.
 *
 * <p>A run that a STARTED report only moves from TRIGGERED to RUNNING is not written then ({@link #started}): a
 * worker with a short run sends its outcome right after, usually within the same commit, and the outcome's
 * write would replace it. The move is kept aside, by run id and attempt, and applied to the run whenever a
 * unit reads it ({@link #run}); a unit that saves the run writes the move with it. Moves still aside when the
 * task commits are written then ({@link #writeStartedRuns}, called through {@link CommitHook}), in the same
 * transaction as the reports they came from, or at the coordinator's timer punctuation, or once
 * {@link #STARTED_ASIDE_MAX} wait. So a run is written twice (triggered, ended) instead of three times, and no
 * report's effect is lost.
 *
 * <p>The unit of work covers those four kinds of node only. The index and queue stores ({@link #queued()},
 * {@link #children()}, {@link #waiting()}, {@link #timers()} ...) are written through at once: a record that
 * fails after writing one leaves that write in the store until the task's transaction aborts (under
 * exactly-once, the store is then restored from its changelog; under at-least-once it stays).
 */
final class TreeState {

    /**
     * Most runs moved to RUNNING and not written yet before they are written without waiting for the commit:
     * under exactly-once a commit comes every 50 ms, some 500 STARTED reports at 10,000 children/s.
     */
    static final int STARTED_ASIDE_MAX = 10_000;

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
    private final KeyValueStore<String, SiblingGroup> siblingGroups;
    private final KeyValueStore<String, String> waiting;
    private final KeyValueStore<String, String> compensations;
    private final KeyValueStore<String, String> payloads;

    private final Nodes<RunNode> runNodes;
    private final Nodes<FanOutNode> fanOutNodes;
    private final Nodes<TreeNode> treeNodes;
    private final Nodes<SiblingGroup> groupNodes;
    /** Runs moved to RUNNING by units that ended, not written yet: run id to attempt. */
    private final Map<String, Integer> startedAside = new HashMap<>();
    /** Runs moved to RUNNING by the current unit, without saving them. */
    private final Map<String, Integer> startedInUnit = new HashMap<>();
    /** Trees changed in this unit that are not done, with the time of their first change. */
    private final Map<String, Long> progressChanged = new HashMap<>();

    /** @param stores the coordinator's stores by name ({@link CoordinatorStores}) */
    TreeState(Function<String, KeyValueStore<?, ?>> stores) {
        this.runs = store(stores, TopologyNames.TREE_RUNS);
        this.fanOuts = store(stores, TopologyNames.TREE_FAN_OUTS);
        this.trees = store(stores, TopologyNames.TREE_TREES);
        this.results = store(stores, TopologyNames.TREE_RESULTS);
        this.queued = store(stores, TopologyNames.TREE_QUEUED);
        this.timers = store(stores, TopologyNames.TREE_TIMERS);
        this.progressPending = store(stores, TopologyNames.TREE_PROGRESS_PENDING);
        this.children = store(stores, TopologyNames.TREE_CHILDREN);
        this.childFanOuts = store(stores, TopologyNames.TREE_CHILD_FAN_OUTS);
        this.treesByStart = store(stores, TopologyNames.TREE_TREES_BY_START);
        this.expectedFanOuts = store(stores, TopologyNames.TREE_EXPECTED_FAN_OUTS);
        this.siblingGroups = store(stores, TopologyNames.TREE_SIBLING_GROUPS);
        this.waiting = store(stores, TopologyNames.TREE_WAITING);
        this.compensations = store(stores, TopologyNames.TREE_COMPENSATIONS);
        this.payloads = store(stores, TopologyNames.TREE_FAN_OUT_PAYLOADS);
        this.runNodes = new Nodes<>(runs, RunNode::getRunId);
        this.fanOutNodes = new Nodes<>(fanOuts, FanOutNode::getFanOutId);
        this.treeNodes = new Nodes<>(trees, TreeNode::getTreeId);
        this.groupNodes = new Nodes<>(siblingGroups,
                group -> StoreKeys.siblingGroup(group.getFanOutId(), group.getSubscriptionId()));
    }

    static TreeState of(ProcessingContext context) {
        return new TreeState(context::getStateStore);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> KeyValueStore<K, V> store(Function<String, KeyValueStore<?, ?>> stores, String name) {
        return (KeyValueStore<K, V>) java.util.Objects.requireNonNull(stores.apply(name), name);
    }

    RunNode run(String runId) {
        return withStart(runNodes.get(runId));
    }

    /**
     * The run as this unit of work sees it, without keeping it: for reading many runs once (a fan-out's
     * results), which would otherwise all stay in memory until the unit ends.
     */
    RunNode peekRun(String runId) {
        return withStart(runNodes.peek(runId));
    }

    void save(RunNode run) {
        runNodes.changed(run);
    }

    /**
     * The run, triggered, is now RUNNING, and nothing else of it changed: the move is kept aside instead of
     * saved, and written with the run's next save or before the task commits, whichever comes first.
     */
    void started(RunNode run) {
        if (run.getStatus() != RunNodeStatus.TRIGGERED) {
            throw new IllegalStateException("run " + run.getRunId() + " is " + run.getStatus() + ", not TRIGGERED");
        }
        NodeStateMachine.move(run, RunNodeStatus.RUNNING);
        startedInUnit.put(run.getRunId(), run.getAttempt());
    }

    /** The run as stored, with its move to RUNNING applied if one is kept aside. */
    private RunNode withStart(RunNode run) {
        if (run != null && run.getStatus() == RunNodeStatus.TRIGGERED && !startedAside.isEmpty()) {
            applyStart(run, startedAside.get(run.getRunId()));
        }
        return run;
    }

    /** Moves the run to RUNNING if still TRIGGERED in the attempt a start was kept aside for; true if it moved. */
    private static boolean applyStart(RunNode run, Integer startedAttempt) {
        if (startedAttempt == null || run.getStatus() != RunNodeStatus.TRIGGERED
                || run.getAttempt() != startedAttempt) {
            return false;
        }
        NodeStateMachine.move(run, RunNodeStatus.RUNNING);
        return true;
    }

    /**
     * Writes the moves to RUNNING kept aside ({@link #started}) to their runs: before the task commits, so that
     * they commit with the reports they came from.
     */
    void writeStartedRuns() {
        if (startedAside.isEmpty()) {
            return;
        }
        startedAside.forEach((runId, attempt) -> {
            RunNode run = runs.get(runId);
            if (run != null && applyStart(run, attempt)) {
                runs.put(runId, run);
            }
        });
        startedAside.clear();
    }

    /** Drops the moves kept aside unwritten: the task's state is being restored from its changelogs. */
    void dropStartedRuns() {
        startedAside.clear();
        startedInUnit.clear();
    }

    /** The fan-out, its state read ({@link FanOutStateMachine#of}) so that a node from 0.1.x has one. */
    FanOutNode fanOut(String fanOutId) {
        FanOutNode fanOut = fanOutNodes.get(fanOutId);
        if (fanOut != null) {
            FanOutStateMachine.of(fanOut);
        }
        return fanOut;
    }

    /** The sibling group of {@code subscriptionId} in the fan-out, or null (no dependencies, or not sealed yet). */
    SiblingGroup siblingGroup(String fanOutId, String subscriptionId) {
        return groupNodes.get(StoreKeys.siblingGroup(fanOutId, subscriptionId));
    }

    void save(SiblingGroup group) {
        groupNodes.changed(group);
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
        startedAside.remove(runId);
        startedInUnit.remove(runId);
        runNodes.delete(runId);
    }

    void deleteFanOut(String fanOutId) {
        fanOutNodes.delete(fanOutId);
        payloads.delete(fanOutId);
    }

    /**
     * Writes the event's payload to its own store and returns the event without it, for the node of a fan-out
     * that opens ({@code payload_apart}): the payload is written once, the node many times.
     */
    ArtifactEvent keepPayloadApart(String fanOutId, ArtifactEvent event) {
        payloads.put(fanOutId, event.getPayload());
        return ArtifactEvent.newBuilder(event).setPayload("").build();
    }

    /** The fan-out's event, payload included: from the payloads store, or from a node written before it was kept apart. */
    ArtifactEvent event(FanOutNode fanOut) {
        if (!fanOut.getPayloadApart()) {
            return fanOut.getEvent();
        }
        String payload = payloads.get(fanOut.getFanOutId());
        if (payload == null) {
            throw new IllegalStateException("the payload of fan-out " + fanOut.getFanOutId() + " of tree "
                    + fanOut.getTreeId() + " is missing from " + TopologyNames.TREE_FAN_OUT_PAYLOADS);
        }
        return ArtifactEvent.newBuilder(fanOut.getEvent()).setPayload(payload).build();
    }

    void deleteTree(String treeId) {
        treeNodes.delete(treeId);
        progressChanged.remove(treeId);
    }

    /**
     * The run ids of the fan-out's children, in plan order, from the children index: one pass over them, for
     * what happens once per fan-out (its seal with dependencies, its compensation, a cancel).
     */
    List<String> childRunIds(FanOutNode fanOut) {
        List<String> runIds = new ArrayList<>();
        String prefix = StoreKeys.childrenOfFanOut(fanOut.getTreeId(), fanOut.getParentRunId(), fanOut.getOrdinal());
        try (KeyValueIterator<String, String> entries = children.prefixScan(prefix, Serdes.String().serializer())) {
            entries.forEachRemaining(entry -> runIds.add(entry.value));
        }
        return runIds;
    }

    /**
     * Ends a unit of work that succeeded: writes every node it changed, once, keeps aside the runs it only
     * moved to RUNNING ({@link #started}), and forgets the nodes read.
     */
    void flush() {
        startedAside.putAll(startedInUnit);
        startedInUnit.clear();
        if (!startedAside.isEmpty()) {
            runNodes.changedIds().forEach(startedAside::remove);
        }
        runNodes.flush();
        if (startedAside.size() >= STARTED_ASIDE_MAX) {
            writeStartedRuns();
        }
        fanOutNodes.flush();
        treeNodes.flush();
        groupNodes.flush();
        progressChanged.forEach(progressPending::putIfAbsent);
        progressChanged.clear();
    }

    /** Forgets the nodes of a unit of work that failed, without writing any of its changes. */
    void discard() {
        startedInUnit.clear();
        runNodes.discard();
        fanOutNodes.discard();
        treeNodes.discard();
        groupNodes.discard();
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

    /** For removal only ({@link TreeCleanup}): groups are read and saved through {@link #siblingGroup}. */
    KeyValueStore<String, SiblingGroup> siblingGroups() {
        return siblingGroups;
    }

    void deleteSiblingGroup(String key) {
        groupNodes.delete(key);
    }

    KeyValueStore<String, String> waiting() {
        return waiting;
    }

    KeyValueStore<String, String> compensations() {
        return compensations;
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

        Set<String> changedIds() {
            return changed.keySet();
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
