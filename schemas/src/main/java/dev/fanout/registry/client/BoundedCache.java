package dev.fanout.registry.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** A thread-safe map that forgets its least recently used entry beyond a capacity. */
final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1: " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(K key) {
        return entries.get(key);
    }

    synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    synchronized void removeIf(Predicate<K> condition) {
        entries.keySet().removeIf(condition);
    }

    synchronized int size() {
        return entries.size();
    }

    /**
     * The cached value, or the loader's, which is then cached. The loader runs outside the lock: a slow
     * registry call must not hold up lookups of other keys. Two threads may load the same key at once;
     * registry answers are idempotent, so the second simply overwrites the first with the same value.
     */
    V computeIfAbsent(K key, Function<K, V> loader) {
        V cached = get(key);
        if (cached != null) {
            return cached;
        }
        V loaded = loader.apply(key);
        put(key, loaded);
        return loaded;
    }
}
