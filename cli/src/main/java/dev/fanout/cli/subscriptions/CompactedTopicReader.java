package dev.fanout.cli.subscriptions;

import dev.fanout.registry.client.SchemaRegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a compacted topic keyed by strings (subscriptions, repo-limits) from the beginning up to the end offsets it has when the read
 * starts: the latest value per key wins and a tombstone deletes the key. Partitions are assigned
 * directly, without a consumer group, so a read neither commits offsets nor waits for a rebalance.
 * Give it a {@code read_committed} consumer so that aborted transactions are never seen.
 */
public final class CompactedTopicReader<V> {

    /**
     * A topic as of one read.
     *
     * @param values     the latest value of every key that is not deleted, sorted by key
     * @param unreadable keys whose latest value could not be decoded, with why
     */
    public record Latest<V>(SortedMap<String, V> values, SortedMap<String, String> unreadable) {
    }

    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<V> values;
    private final Duration timeout;

    public CompactedTopicReader(Consumer<byte[], byte[]> consumer, Deserializer<V> values, Duration timeout) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.values = Objects.requireNonNull(values, "values");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public Latest<V> read(String topic) {
        Objects.requireNonNull(topic, "topic");
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; create it with ./fanout topics create");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<String, V> latest = new TreeMap<>();
        Map<String, String> unreadable = new TreeMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(end)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("reading topic " + topic + " to its end took longer than "
                        + timeout.toSeconds() + " s; check that the brokers are reachable and healthy");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() < end.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L)) {
                    apply(record, latest, unreadable);
                }
            }
        }
        return new Latest<>(Collections.unmodifiableSortedMap(new TreeMap<>(latest)),
                Collections.unmodifiableSortedMap(new TreeMap<>(unreadable)));
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, Map<String, V> latest,
                       Map<String, String> unreadable) {
        if (record.key() == null) {
            return; // not addressable, so neither the topology nor a sync can use it
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        latest.remove(id);
        unreadable.remove(id);
        if (record.value() == null) {
            return;
        }
        try {
            latest.put(id, values.deserialize(record.topic(), record.headers(), record.value()));
        } catch (RuntimeException e) {
            if (isRegistryOutage(e)) {
                throw e; // not bad data: every record would look unreadable, and a sync would plan nonsense
            }
            unreadable.put(id, "cannot decode " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static boolean isRegistryOutage(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SchemaRegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
