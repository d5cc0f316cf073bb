package dev.fanout.tree.timer;

import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TimerKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Timers keyed by due time in a changelogged store, so they survive a restart and a wall-clock
 * punctuator finds what is due with one range scan. Timers are never cancelled: one that fires for a
 * run or fan-out that has moved on is stale and does nothing, which is cheaper than an index to find it.
 */
public final class Timers {

    /** How many due timers one punctuation takes, so a burst cannot stall the stream thread. */
    private static final int BATCH = 10_000;

    private static final Bytes FROM = Bytes.wrap(new byte[Long.BYTES]);

    private final KeyValueStore<Bytes, Timer> store;

    public Timers(KeyValueStore<Bytes, Timer> store) {
        this.store = store;
    }

    public void retry(String treeId, String runId, int attempt, long dueMs) {
        schedule(dueMs, new Timer(TimerKind.RETRY, treeId, runId, attempt, null));
    }

    public void runTimeout(String treeId, String runId, int attempt, long dueMs) {
        schedule(dueMs, new Timer(TimerKind.RUN_TIMEOUT, treeId, runId, attempt, null));
    }

    /** The attempt's heartbeat check; one is live per attempt ({@code Heartbeats}). */
    public void heartbeat(String treeId, String runId, int attempt, long dueMs) {
        schedule(dueMs, new Timer(TimerKind.HEARTBEAT, treeId, runId, attempt, null));
    }

    public void fanOutTimeout(String treeId, String fanOutId, long dueMs) {
        schedule(dueMs, new Timer(TimerKind.FAN_OUT_TIMEOUT, treeId, fanOutId, 0, null));
    }

    /** The tree's entries are removed from {@code dueMs} on, a batch at a time, from {@code cursor} (null: the start). */
    public void cleanup(String treeId, long dueMs, String cursor) {
        schedule(dueMs, new Timer(TimerKind.CLEANUP, treeId, treeId, 0, cursor));
    }

    public void cleanup(String treeId, long dueMs) {
        cleanup(treeId, dueMs, null);
    }

    /**
     * Fires the timers due at or before {@code nowMs}, earliest first, at most a batch per call, each in its
     * own unit of work that deletes the timer after firing it. Fire, then delete: a crash or an error between
     * the two leaves the timer in place, to fire again (its action sees whether its target moved on), where
     * deleting the batch first lost every timer of it not yet fired under {@code at_least_once}, whose
     * changelog keeps the deletes without the actions.
     *
     * @param unit runs one timer's work as a unit (the coordinator writes its changes at the end, or none)
     */
    public void fireDue(long nowMs, Consumer<Runnable> unit, Consumer<Timer> fire) {
        List<KeyValue<Bytes, Timer>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, Timer> range = store.range(FROM, dueBy(nowMs))) {
            while (range.hasNext() && due.size() < BATCH) {
                due.add(range.next());
            }
        }
        for (KeyValue<Bytes, Timer> entry : due) {
            unit.accept(() -> {
                fire.accept(entry.value);
                if (entry.value.equals(store.get(entry.key))) {
                    store.delete(entry.key); // unless the action put a successor under the same key (cleanup's next batch)
                }
            });
        }
    }

    public long pending() {
        return store.approximateNumEntries();
    }

    private void schedule(long dueMs, Timer timer) {
        String id = timer.getKind() + "|" + timer.getTargetId() + "|" + timer.getAttempt();
        store.put(key(dueMs, id), timer);
    }

    /** A timer's key: big-endian due millis first, so byte order is time order; the id keeps keys apart. */
    static Bytes key(long dueMs, String timerId) {
        byte[] id = timerId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(Math.max(0, dueMs)).put(id).array());
    }

    /** The upper bound of a scan for timers due at or before {@code nowMs}: shorter than any timer key of nowMs + 1. */
    static Bytes dueBy(long nowMs) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(nowMs + 1).array());
    }
}
