package dev.fanout.worker;

import dev.fanout.avro.RunCancellation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runs this worker knows to be cancelled, most recent last, bounded, and the runs in progress that
 * want to hear of theirs. A run is cancelled as a whole: a cancellation of one attempt holds for every
 * attempt of the run (the coordinator does not retry a run of a cancelled tree).
 */
final class RecentCancellations {

    /** Stops watching a run; closing twice is harmless. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<String, RunCancellation> recent;
    private final Map<String, List<Consumer<RunCancellation>>> watchers = new HashMap<>();

    RecentCancellations(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " must be 1 or more");
        }
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RunCancellation> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cancellation of a run, if this worker has seen one and still remembers it. */
    synchronized Optional<RunCancellation> of(String runId) {
        return Optional.ofNullable(recent.get(runId));
    }

    /** Remembers a cancellation and tells the run's watchers, outside the lock. */
    void add(RunCancellation cancellation) {
        Objects.requireNonNull(cancellation, "cancellation");
        List<Consumer<RunCancellation>> told;
        synchronized (this) {
            recent.put(cancellation.getRunId(), cancellation);
            told = new ArrayList<>(watchers.getOrDefault(cancellation.getRunId(), List.of()));
        }
        told.forEach(watcher -> watcher.accept(cancellation));
    }

    /**
     * Calls {@code onCancel} when the run's cancellation arrives, or at once if it is already known, until
     * the watch is closed.
     */
    Watch watch(String runId, Consumer<RunCancellation> onCancel) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(onCancel, "onCancel");
        RunCancellation known;
        synchronized (this) {
            watchers.computeIfAbsent(runId, id -> new ArrayList<>()).add(onCancel);
            known = recent.get(runId);
        }
        if (known != null) {
            onCancel.accept(known);
        }
        return () -> {
            synchronized (this) {
                List<Consumer<RunCancellation>> list = watchers.get(runId);
                if (list != null) {
                    list.remove(onCancel);
                    if (list.isEmpty()) {
                        watchers.remove(runId);
                    }
                }
            }
        };
    }

    synchronized int watched() {
        return watchers.size();
    }
}
