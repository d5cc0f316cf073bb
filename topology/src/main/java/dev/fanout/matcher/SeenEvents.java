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
 */
final class SeenEvents {

    private final KeyValueStore<String, Long> store;
    private final long retentionMs;

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

    /**
     * Forgets ids seen before {@code nowMs - retention}. A full scan: ids are keyed for lookup, not by
     * time, and a scan every punctuation interval is cheap next to keeping a second, time-ordered copy.
     */
    int expire(long nowMs) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value <= nowMs - retentionMs) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
        return expired.size();
    }

    /** How often to expire: often enough that an id outlives the retention by at most a minute. */
    static Duration punctuationInterval(Duration retention) {
        Duration minute = Duration.ofMinutes(1);
        return retention.compareTo(minute) < 0 ? retention : minute;
    }
}
