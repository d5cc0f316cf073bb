package dev.fanout.bench.ceiling;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic from the beginning with one read_committed consumer until it has every record, and times
 * it. Partitions are assigned, not subscribed: a consumer group's join and rebalance are not the broker's
 * read rate.
 */
final class ConsumePhase {

    /** No record for this long means the records are not coming (an aborted transaction, a dead broker). */
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private ConsumePhase() {
    }

    /** Reads until {@code expected} records have come; all of them count. */
    static Throughput readAll(Map<String, Object> config, String topic, long expected) {
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long lastProgress = start;
            while (read < expected) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                long now = System.nanoTime();
                if (batch.isEmpty()) {
                    if (now - lastProgress > STALL.toNanos()) {
                        throw new IllegalStateException("read " + read + " of " + expected + " records from "
                                + topic + ", then nothing for " + STALL.toSeconds() + " s");
                    }
                    continue;
                }
                lastProgress = now;
                for (var r : batch) {
                    bytes += r.serializedKeySize() + r.serializedValueSize();
                }
                read += batch.count();
            }
            return new Throughput(read, bytes, System.nanoTime() - start);
        }
    }
}
