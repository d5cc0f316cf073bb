package dev.fanout.subscription.version;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A bounded cache of parsed ranges. Many subscriptions share a handful of ranges ({@code ^1.0.0}), so
 * parsing each text once saves work when thousands of subscriptions are compiled.
 */
public final class VersionRanges {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final Map<String, VersionRange> cache;

    public VersionRanges() {
        this(DEFAULT_CAPACITY);
    }

    public VersionRanges(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VersionRange> eldest) {
                return size() > capacity;
            }
        };
    }

    public VersionRange parse(String text) throws InvalidVersionRangeException {
        Objects.requireNonNull(text, "text");
        synchronized (cache) {
            VersionRange cached = cache.get(text);
            if (cached != null) {
                return cached;
            }
        }
        VersionRange parsed = VersionRange.parse(text);
        synchronized (cache) {
            cache.put(text, parsed);
        }
        return parsed;
    }

    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }
}
