package dev.fanout.matcher;

import dev.fanout.avro.Subscription;
import java.util.Objects;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The subscriptions of the artifacts of one partition, under {@code artifactRef|subscriptionId}. An
 * artifact's subscriptions are one prefix scan, in subscription id order, however many other
 * subscriptions the partition holds. '|' cannot occur in an artifact ref, so {@code a:x|} never
 * matches the keys of {@code a:xy}.
 */
final class SubscriptionIndex {

    private static final char SEPARATOR = '|';

    private final KeyValueStore<String, Subscription> store;

    SubscriptionIndex(KeyValueStore<String, Subscription> store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    void put(String artifact, Subscription subscription) {
        store.put(key(artifact, subscription.getId()), subscription);
    }

    void remove(String artifact, String subscriptionId) {
        store.delete(key(artifact, subscriptionId));
    }

    /** The artifact's subscriptions in id order; close the iterator. */
    KeyValueIterator<String, Subscription> subscriptionsOf(String artifact) {
        return store.prefixScan(artifact + SEPARATOR, new StringSerializer());
    }

    /** The artifact's subscriptions in id order from {@code subscriptionId} on (inclusive); close the iterator. */
    KeyValueIterator<String, Subscription> subscriptionsFrom(String artifact, String subscriptionId) {
        // Every key of the artifact starts with "artifact|"; '}' follows '|', so "artifact}" is past them all.
        return store.range(key(artifact, subscriptionId), artifact + (char) (SEPARATOR + 1));
    }

    static String key(String artifact, String subscriptionId) {
        return artifact + SEPARATOR + subscriptionId;
    }
}
