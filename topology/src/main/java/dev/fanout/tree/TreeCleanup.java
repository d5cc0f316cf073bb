package dev.fanout.tree;

import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TreeNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import dev.fanout.tree.timer.Timers;

/**
 * Removes a done tree {@code fanout.tree.retention.ms} after its TreeDone: its runs (found through the
 * children index, with their compensation runs), its fan-outs (through the fan-out index) with any leftover
 * results, queue, waiting and compensation entries and their sibling groups,
 * the fan-outs its runs listed as emitted that never opened, then the tree itself. A punctuation removes at most {@code fanout.tree.cleanup.batch} entries over all
 * trees; a tree not finished within it goes on at the next punctuation from where it stopped (the
 * timer's cursor: phase and last key), so a tree of a million children never holds the stream thread.
 *
 * <p>After removal, the tree is unknown: late reports of its runs are ignored as reports on unknown runs,
 * and an event naming one of its runs as parent is refused to the dead letters.
 */
final class TreeCleanup {

    private static final String RUNS = "runs";
    private static final String FAN_OUTS = "fan-outs";

    private final TreeState state;
    private final Timers timers;
    private final int batch;
    private int budget;

    TreeCleanup(TreeState state, Timers timers, int batch) {
        this.state = state;
        this.timers = timers;
        this.batch = batch;
    }

    /** A new punctuation: the budget of removals is full again. */
    void newPunctuation() {
        budget = batch;
    }

    /** Removes what the budget allows of the timer's tree; schedules the rest for the next punctuation. */
    void run(Timer timer, long nowMs) {
        String treeId = timer.getTargetId();
        TreeNode tree = state.tree(treeId);
        if (tree != null && !tree.getDone()) {
            return; // a new tree with the same id (its event came again after the dedupe retention)
        }
        String cursor = timer.getCursor() == null ? RUNS + "|" : timer.getCursor();
        String phase = cursor.substring(0, cursor.indexOf('|'));
        String after = cursor.substring(cursor.indexOf('|') + 1);
        String prefix = StoreKeys.treePrefix(treeId);
        if (phase.equals(RUNS)) {
            String last = removeBatch(state.children(), prefix, after, this::removeRun);
            if (last != null) {
                timers.cleanup(treeId, nowMs, RUNS + "|" + last);
                return;
            }
            phase = FAN_OUTS;
            after = "";
        }
        if (phase.equals(FAN_OUTS)) {
            String last = removeBatch(state.childFanOuts(), prefix, after, this::removeFanOut);
            if (last != null) {
                timers.cleanup(treeId, nowMs, FAN_OUTS + "|" + last);
                return;
            }
        }
        // A few at most: fan-outs a run listed in emitted that never opened (the tree ended on a timeout).
        removePrefix(state.expectedFanOuts(), prefix);
        if (tree != null) {
            state.treesByStart().delete(StoreKeys.treeByStart(tree.getStartedAt(), treeId));
            state.deleteTree(treeId);
        }
        state.progressPending().delete(treeId);
    }

    /**
     * Removes index entries after {@code after} under {@code prefix}, and what each names, within the budget.
     * Returns the last key removed if the budget ran out before the end, null when none are left.
     */
    private String removeBatch(KeyValueStore<String, String> index, String prefix, String after,
            Consumer<String> removeNamed) {
        String from = after.isEmpty() ? prefix : after + "\u0000";
        List<KeyValue<String, String>> entries = new ArrayList<>();
        boolean more = false;
        try (KeyValueIterator<String, String> range = index.range(from, StoreKeys.prefixEnd(prefix))) {
            while (range.hasNext()) {
                if (entries.size() >= budget) {
                    more = true;
                    break;
                }
                entries.add(range.next());
            }
        }
        for (KeyValue<String, String> entry : entries) {
            removeNamed.accept(entry.value);
            index.delete(entry.key);
        }
        budget -= entries.size();
        if (!more) {
            return null;
        }
        return entries.isEmpty() ? after : entries.get(entries.size() - 1).key;
    }

    /** A child, and the run that compensated it, if one did (compensation runs are not in the children index). */
    private void removeRun(String runId) {
        var run = state.peekRun(runId);
        if (run != null && run.getCompensationRunId() != null) {
            state.deleteRun(run.getCompensationRunId());
        }
        state.deleteRun(runId);
    }

    private void removeFanOut(String fanOutId) {
        state.deleteFanOut(fanOutId);
        String prefix = StoreKeys.fanOutPrefix(fanOutId);
        removePrefix(state.results(), prefix);
        removePrefix(state.queued(), prefix);
        removePrefix(state.waiting(), prefix);
        removePrefix(state.compensations(), prefix);
        List<String> groups = new ArrayList<>();
        try (KeyValueIterator<String, ?> range = state.siblingGroups().prefixScan(prefix, Serdes.String().serializer())) {
            range.forEachRemaining(entry -> groups.add(entry.key));
        }
        groups.forEach(state::deleteSiblingGroup);
    }

    /** Results, queue and expected entries are removed when they are used; this catches what a timeout left. */
    private static <V> void removePrefix(KeyValueStore<String, V> store, String prefix) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> range = store.prefixScan(prefix, Serdes.String().serializer())) {
            range.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }
}
