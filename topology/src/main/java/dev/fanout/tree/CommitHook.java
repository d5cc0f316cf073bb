package dev.fanout.tree;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store that holds nothing and tells the coordinator when its task is about to commit, so that the runs it moved
 * to RUNNING without writing them ({@link TreeState#writeStartedRuns}) are written into the transaction that
 * commits the reports they came from.
 *
 * <p>Kafka Streams has no public hook before a commit. It does flush its record caches then: before each
 * commit of a task, and before the task is suspended or closed cleanly, it calls {@code flushCache()} on every
 * store of the task that is a {@link CachedStateStore}, and only then flushes its producer and commits
 * ({@code StreamTask.prepareCommit}, Kafka Streams 4.3). This store takes that call, as the caching layer of
 * a cached store does, and writes what it is told to through the other stores' usual API; the record context
 * is the task's last, as it is for a cache's flush. {@code clearCache()}, called when a task's state is
 * recycled and restored from the changelogs, drops what was kept aside. The record cache writes the tree and
 * fan-out nodes at the same point: a write that fails there fails the commit, for them as for these runs.
 *
 * <p>{@code CachedStateStore} is an internal interface of Kafka Streams, so a later version may stop calling
 * it. {@code RunStatusTest} would then fail: the topology test driver commits after every record through the
 * same {@code prepareCommit}, and a STARTED report's run would not be RUNNING in the store after its commit.
 */
final class CommitHook implements StateStore, CachedStateStore<Object, Object> {

    private static final Runnable NOTHING = () -> { };

    private final String name;
    private volatile boolean open;
    private Runnable beforeCommit = NOTHING;
    private Runnable onClear = NOTHING;

    CommitHook(String name) {
        this.name = name;
    }

    /** What to run before each commit of the task, and what to drop when its state is recycled. Replaces the last. */
    void onCommit(Runnable beforeCommit, Runnable onClear) {
        this.beforeCommit = beforeCommit;
        this.onClear = onClear;
    }

    @Override
    public void flushCache() {
        beforeCommit.run();
    }

    @Override
    public void clearCache() {
        onClear.run();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            throw new IllegalStateException(name + " has no changelog and nothing to restore");
        });
        open = true;
    }

    @Override
    public void close() {
        beforeCommit = NOTHING;
        onClear = NOTHING;
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Builds the hook: no changelog, no cache, nothing on disk. */
    static StoreBuilder<CommitHook> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CommitHook> withCachingEnabled() {
                throw new UnsupportedOperationException(name + " holds nothing to cache");
            }

            @Override
            public StoreBuilder<CommitHook> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException(name + " holds nothing to log");
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingDisabled() {
                return this;
            }

            @Override
            public CommitHook build() {
                return new CommitHook(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
