package dev.fanout.tree;

import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TimerKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Timers keyed by due time in a changelogged store, so they survive a restart and a wall-clock
 * punctuator finds what is due with one range scan. Timers are never cancelled: one that fires for a
 * run or fan-out that has moved on is stale and does nothing, which is cheaper than an index to find it.
 */
final class Timers {

    /** How many due timers one punctuation takes, so a burst cannot stall the stream thread. */
    private static final int BATCH = 10_000;

    private final KeyValueStore<Bytes, Timer> store;

    Timers(KeyValueStore<Bytes, Timer> store) {
        this.store = store;
    }

    void retry(String treeId, String runId, int attempt, long dueMs) {
        schedule(dueMs, new Timer(TimerKind.RETRY, treeId, runId, attempt, null));
    }

    void runTimeout(String treeId, String runId, int attempt, long dueMs) {
        schedule(dueMs, new Timer(TimerKind.RUN_TIMEOUT, treeId, runId, attempt, null));
    }

    void fanOutTimeout(String treeId, String fanOutId, long dueMs) {
        schedule(dueMs, new Timer(TimerKind.FAN_OUT_TIMEOUT, treeId, fanOutId, 0, null));
    }

    /** The tree's entries are removed from {@code dueMs} on, a batch at a time, from {@code cursor} (null: the start). */
    void cleanup(String treeId, long dueMs, String cursor) {
        schedule(dueMs, new Timer(TimerKind.CLEANUP, treeId, treeId, 0, cursor));
    }

    void cleanup(String treeId, long dueMs) {
        cleanup(treeId, dueMs, null);
    }

    /** Removes and returns the timers due at or before {@code nowMs}, earliest first. */
    List<Timer> takeDue(long nowMs) {
        List<KeyValue<Bytes, Timer>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, Timer> range = store.range(StoreKeys.timersFrom(), StoreKeys.timersDueBy(nowMs))) {
            while (range.hasNext() && due.size() < BATCH) {
                due.add(range.next());
            }
        }
        due.forEach(entry -> store.delete(entry.key));
        return due.stream().map(entry -> entry.value).toList();
    }

    long pending() {
        return store.approximateNumEntries();
    }

    private void schedule(long dueMs, Timer timer) {
        String id = timer.getKind() + "|" + timer.getTargetId() + "|" + timer.getAttempt();
        store.put(StoreKeys.timer(dueMs, id), timer);
    }
}
