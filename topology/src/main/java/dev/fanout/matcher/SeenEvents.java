package dev.fanout.matcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Event ids already fanned out, with the wall-clock time they were first seen, so that an event sent
 * twice fans out once. Entries older than the retention are dropped by {@link #expire}, which a
 * wall-clock punctuator calls: the retention is a promise about real time, not about stream time.
 *
 * <p>Ids are keyed for lookup, not by time, so expiring means walking the store. Each call walks at most
 * {@value #BATCH} entries on from where the previous one stopped, wrapping around at the end, so the work
 * per punctuation is bounded however many ids the retention (seven days by default) holds; an id
 * outlives its retention by at most one pass over the store ({@code entries / BATCH} punctuations).
 */
final class SeenEvents {

    /** Entries one punctuation examines. */
    static final int BATCH = 1_000;

    private final KeyValueStore<String, Long> store;
    private final long retentionMs;
    /** The last key examined; null: the next pass starts at the beginning. Kept in memory only. */
    private String cursor;

    SeenEvents(KeyValueStore<String, Long> store, Duration retention) {
        this.store = Objects.requireNonNull(store, "store");
        this.retentionMs = retention.toMillis();
    }

    boolean contains(String eventId) {
        return store.get(eventId) != null;
    }

    void remember(String eventId, long nowMs) {
        store.putIfAbsent(eventId, nowMs);
    }

    /** Forgets the ids seen before {@code nowMs - retention} among the next {@value #BATCH} entries. */
    int expire(long nowMs) {
        List<String> expired = new ArrayList<>();
        int examined = 0;
        String last = null;
        try (KeyValueIterator<String, Long> entries = cursor == null ? store.all() : store.range(cursor, null)) {
            while (entries.hasNext() && examined < BATCH) {
                KeyValue<String, Long> entry = entries.next();
                if (entry.key.equals(cursor)) {
                    continue; // examined by the previous call
                }
                examined++;
                last = entry.key;
                if (entry.value <= nowMs - retentionMs) {
                    expired.add(entry.key);
                }
            }
        }
        cursor = examined < BATCH ? null : last; // at the end: the next pass starts over
        expired.forEach(store::delete);
        return expired.size();
    }

    /** How often to expire: often enough that a pass over a large store takes hours, not days. */
    static Duration punctuationInterval(Duration retention) {
        Duration second = Duration.ofSeconds(1);
        return retention.compareTo(second) < 0 ? retention : second;
    }
}
