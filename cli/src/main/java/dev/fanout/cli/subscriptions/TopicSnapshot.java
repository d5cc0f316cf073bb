package dev.fanout.cli.subscriptions;

import dev.fanout.avro.Subscription;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The subscriptions topic as of one read: the latest value of every key that is not deleted.
 *
 * @param subscriptions by key (the subscription id), sorted
 * @param unreadable    keys whose latest value could not be decoded, with why; they are on the topic but
 *                      their content is unknown, so a sync overwrites them when they are declared and
 *                      otherwise leaves them for {@code delete}
 */
public record TopicSnapshot(SortedMap<String, Subscription> subscriptions, SortedMap<String, String> unreadable) {

    public TopicSnapshot {
        subscriptions = Collections.unmodifiableSortedMap(new TreeMap<>(subscriptions));
        unreadable = Collections.unmodifiableSortedMap(new TreeMap<>(unreadable));
    }

    /** True when the key has a value on the topic, readable or not. */
    public boolean contains(String id) {
        return subscriptions.containsKey(id) || unreadable.containsKey(id);
    }

    /** The readable subscriptions whose keys are among {@code ids}. */
    public Map<String, Subscription> only(Collection<String> ids) {
        Map<String, Subscription> selected = new TreeMap<>();
        for (String id : ids) {
            Subscription subscription = subscriptions.get(id);
            if (subscription != null) {
                selected.put(id, subscription);
            }
        }
        return selected;
    }
}
