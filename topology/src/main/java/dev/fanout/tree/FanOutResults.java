package dev.fanout.tree;

import dev.fanout.avro.ChildResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The results of one fan-out, read in key order (item index, then subscription id) up to the cap,
 * and removed once its FanOutDone carries them, so that the store holds only fan-outs in flight.
 */
final class FanOutResults {

    /** Deleting in batches: no iterator is open while its range changes. */
    private static final int DELETE_BATCH = 1_000;

    private final KeyValueStore<String, ChildResult> store;
    private final int max;

    FanOutResults(KeyValueStore<String, ChildResult> store, int max) {
        this.store = store;
        this.max = max;
    }

    record Page(List<ChildResult> results, boolean truncated) {
    }

    Page first(String fanOutId) {
        List<ChildResult> results = new ArrayList<>();
        try (KeyValueIterator<String, ChildResult> scan = scan(fanOutId)) {
            while (scan.hasNext() && results.size() < max) {
                results.add(scan.next().value);
            }
            return new Page(results, scan.hasNext());
        }
    }

    /**
     * Removes the fan-out's results in batches. Each batch scans on from the last key removed rather than
     * from the prefix again: a fresh prefix scan would step over every tombstone the previous batches left,
     * which made removing the results of a 1,000,000-child fan-out quadratic.
     */
    void remove(String fanOutId) {
        String prefix = StoreKeys.fanOutPrefix(fanOutId);
        String from = prefix;
        List<String> keys;
        do {
            keys = new ArrayList<>();
            try (KeyValueIterator<String, ChildResult> scan = store.range(from, null)) {
                while (scan.hasNext() && keys.size() < DELETE_BATCH) {
                    String key = scan.next().key;
                    if (!key.startsWith(prefix)) {
                        break;
                    }
                    keys.add(key);
                }
            }
            keys.forEach(store::delete);
            if (!keys.isEmpty()) {
                from = keys.get(keys.size() - 1);
            }
        } while (keys.size() == DELETE_BATCH);
    }

    private KeyValueIterator<String, ChildResult> scan(String fanOutId) {
        return store.prefixScan(StoreKeys.fanOutPrefix(fanOutId), Serdes.String().serializer());
    }
}
