package dev.fanout.tree;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.config.RecordBudget;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The results of one fan-out, in item index then subscription id order, up to the cap and the byte budget.
 *
 * <p>Each child's result lives in its run node ({@code RunNode.outcome}), so recording it costs nothing
 * beyond the run's own write; the fan-out's children are read in plan order through {@code tree.children},
 * whose keys sort that way. Fanout 0.1.0 kept them in {@code tree.results} instead, one entry per
 * child written when it ended and deleted when its fan-out finished: for a fan-out in flight across the
 * upgrade, a child that ended before it has its result there, read from there, and removed with the rest.
 */
final class FanOutResults {

    /** Deleting in batches: no iterator is open while its range changes. */
    private static final int DELETE_BATCH = 1_000;

    private final TreeState state;
    private final KeyValueStore<String, ChildResult> legacy;
    private final int max;

    FanOutResults(TreeState state, int max) {
        this.state = state;
        this.legacy = state.results();
        this.max = max;
    }

    record Page(List<ChildResult> results, boolean truncated) {
    }

    /**
     * The first results of the fan-out, at most the cap and {@code maxBytes} of them (their Avro size), and
     * whether there were more; for its FanOutDone. The rest are read from the query API.
     */
    Page first(FanOutNode fanOut, long maxBytes) {
        List<ChildResult> results = new ArrayList<>();
        long bytes = 0;
        String prefix = StoreKeys.childrenOfFanOut(fanOut.getTreeId(), fanOut.getParentRunId(), fanOut.getOrdinal());
        try (KeyValueIterator<String, String> children = state.children().prefixScan(prefix, Serdes.String().serializer())) {
            while (children.hasNext()) {
                ChildResult result = resultOf(fanOut, state.peekRun(children.next().value));
                if (result == null) {
                    continue; // still running when its fan-out timed out: counted, without a result
                }
                long size = RecordBudget.sizeOf(result);
                if (results.size() == max || bytes + size > maxBytes) {
                    return new Page(results, true);
                }
                results.add(result);
                bytes += size;
            }
        } finally {
            removeLegacy(fanOut.getFanOutId());
        }
        return new Page(results, false);
    }

    private ChildResult resultOf(FanOutNode fanOut, RunNode run) {
        if (run == null) {
            return null;
        }
        if (run.getOutcome() != null || run.getFinishedAt() == null) {
            return run.getOutcome();
        }
        return legacy.get(StoreKeys.result(fanOut.getFanOutId(), run.getItemIndex(), run.getSubscriptionId()));
    }

    /**
     * Removes the fan-out's legacy results in batches. Each batch scans on from the last key removed rather
     * than from the prefix again: a fresh prefix scan would step over every tombstone the previous batches
     * left, which made removing the results of a 1,000,000-child fan-out quadratic.
     */
    private void removeLegacy(String fanOutId) {
        String prefix = StoreKeys.fanOutPrefix(fanOutId);
        String from = prefix;
        List<String> keys;
        do {
            keys = new ArrayList<>();
            try (KeyValueIterator<String, ChildResult> scan = legacy.range(from, null)) {
                while (scan.hasNext() && keys.size() < DELETE_BATCH) {
                    KeyValue<String, ChildResult> entry = scan.next();
                    if (!entry.key.startsWith(prefix)) {
                        break;
                    }
                    keys.add(entry.key);
                }
            }
            keys.forEach(legacy::delete);
            if (!keys.isEmpty()) {
                from = keys.get(keys.size() - 1);
            }
        } while (keys.size() == DELETE_BATCH);
    }
}
