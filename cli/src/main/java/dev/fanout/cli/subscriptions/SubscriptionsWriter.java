package dev.fanout.cli.subscriptions;

import dev.fanout.avro.Subscription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes subscriptions keyed by their id, and tombstones for deleted ids, through a
 * {@link CompactedTopicWriter}: every failure is returned with its id. Give it an idempotent producer so
 * retries cannot duplicate or reorder.
 */
public final class SubscriptionsWriter {

    private final CompactedTopicWriter<Subscription> writer;

    public SubscriptionsWriter(Producer<String, byte[]> producer, Serializer<Subscription> values, String topic) {
        this.writer = new CompactedTopicWriter<>(producer, values, topic);
    }

    /** Sends every put and tombstone, waits for all of them, and returns those that failed (empty: all arrived). */
    public List<CompactedTopicWriter.Failure> publish(List<Subscription> puts, List<String> deletes) {
        Map<String, Subscription> byId = new LinkedHashMap<>();
        puts.forEach(subscription -> byId.put(subscription.getId(), subscription));
        return writer.publish(byId, deletes);
    }
}
