package dev.fanout.cli.subscriptions;

import dev.fanout.avro.Subscription;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the compacted subscriptions topic to the end it has when the read starts ({@link CompactedTopicReader}):
 * the latest value per key wins and a tombstone deletes the key. Give it a {@code read_committed} consumer
 * so that aborted transactions are never seen.
 */
public final class SubscriptionsReader {

    private final CompactedTopicReader<Subscription> reader;

    public SubscriptionsReader(Consumer<byte[], byte[]> consumer, Deserializer<Subscription> values, Duration timeout) {
        this.reader = new CompactedTopicReader<>(consumer, values, timeout);
    }

    public TopicSnapshot read(String topic) {
        Objects.requireNonNull(topic, "topic");
        CompactedTopicReader.Latest<Subscription> latest = reader.read(topic);
        return new TopicSnapshot(latest.values(), latest.unreadable());
    }
}
