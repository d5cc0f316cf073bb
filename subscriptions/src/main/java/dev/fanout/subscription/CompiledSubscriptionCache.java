package dev.fanout.subscription;

import dev.fanout.avro.Subscription;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Compiled subscriptions by id, recompiled when the record's content changes.
 *
 * <p>Keyed by id, with the record's content as the version check: an updated subscription (same id,
 * new content) replaces its old compilation instead of piling up beside it, and comparing content with
 * Avro equality is exact where a hash could collide. Invalid compilations are cached too, so a bad
 * subscription is not recompiled for every event. Bounded (least recently used is evicted) and safe to
 * share between stream threads; compiling happens outside the lock.
 */
public final class CompiledSubscriptionCache {

    public static final int DEFAULT_CAPACITY = 100_000;

    private record Entry(Subscription content, Compilation compilation) {
    }

    private final SubscriptionCompiler compiler;
    private final Map<String, Entry> entries;

    public CompiledSubscriptionCache(SubscriptionCompiler compiler) {
        this(compiler, DEFAULT_CAPACITY);
    }

    public CompiledSubscriptionCache(SubscriptionCompiler compiler, int capacity) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The compilation of this exact content, compiling it on first sight. */
    public Compilation get(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        String id = subscription.getId();
        synchronized (entries) {
            Entry entry = entries.get(id);
            if (entry != null && entry.content().equals(subscription)) {
                return entry.compilation();
            }
        }
        Compilation compilation = compiler.compile(subscription);
        synchronized (entries) {
            entries.put(id, new Entry(compilation.subscription(), compilation));
        }
        return compilation;
    }

    /** Forgets a subscription, e.g. on a tombstone. */
    public void remove(String id) {
        Objects.requireNonNull(id, "id");
        synchronized (entries) {
            entries.remove(id);
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
