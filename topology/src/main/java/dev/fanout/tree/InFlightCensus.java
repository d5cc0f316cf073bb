package dev.fanout.tree;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How many entries of a store are in flight (trees not done, fan-outs not finished), counted from the
 * restored store a batch per punctuation after a task starts, never all at once (at every rebalance that
 * was a scan of every tree the task ever kept), and kept up to date as entries start and finish.
 *
 * <p>While the count goes on, an entry that starts or finishes is counted here only if the scan has passed
 * its key; one ahead of the scan is counted by the scan, as it is then.
 */
final class InFlightCensus<V> {

    private final KeyValueStore<String, V> store;
    private final Predicate<V> inFlight;
    private long count;
    /** The last key the scan counted; null before the first. */
    private String cursor;
    private boolean complete;

    InFlightCensus(KeyValueStore<String, V> store, Predicate<V> inFlight) {
        this.store = store;
        this.inFlight = inFlight;
    }

    /** The entry under {@code key} is now in flight. */
    void started(String key) {
        if (counted(key)) {
            count++;
        }
    }

    /** The entry under {@code key} is no longer in flight. */
    void finished(String key) {
        if (counted(key)) {
            count--;
        }
    }

    /** Counts on over at most {@code batch} entries; nothing once the whole store was counted. */
    void countSome(int batch) {
        if (complete) {
            return;
        }
        int examined = 0;
        try (KeyValueIterator<String, V> entries = cursor == null ? store.all() : store.range(cursor, null)) {
            while (entries.hasNext() && examined < batch) {
                KeyValue<String, V> entry = entries.next();
                if (entry.key.equals(cursor)) {
                    continue;
                }
                examined++;
                cursor = entry.key;
                if (inFlight.test(entry.value)) {
                    count++;
                }
            }
        }
        complete = examined < batch;
    }

    /** The count so far: exact once {@link #isComplete()}, until then what the scan has found. */
    long count() {
        return count;
    }

    boolean isComplete() {
        return complete;
    }

    private boolean counted(String key) {
        return complete || (cursor != null && bytes(key).compareTo(bytes(cursor)) <= 0);
    }

    /** The store orders keys by their UTF-8 bytes. */
    private static Bytes bytes(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }
}
