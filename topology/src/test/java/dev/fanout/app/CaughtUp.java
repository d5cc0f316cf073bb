package dev.fanout.app;

import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopologyNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tells integration tests when a running Fanout has processed everything given to it, so they can
 * assert that something did not happen ("no more triggers") without sleeping.
 */
public final class CaughtUp {

    private CaughtUp() {
    }

    /**
     * True when every partition the application reads (inputs and repartition topics) has no committed
     * record past its committed offset: then all it will write for what it was given is committed too.
     * Transaction markers are not records, which is why this reads rather than compares offsets.
     */
    public static boolean isCaughtUp(String bootstrapServers, String applicationId, FanoutTopics topics)
            throws Exception {
        return isCaughtUp(Map.of("bootstrap.servers", bootstrapServers), applicationId, topics);
    }

    /** As {@link #isCaughtUp(String, String, FanoutTopics)}, with client settings (a secured cluster's, say). */
    public static boolean isCaughtUp(Map<String, Object> client, String applicationId, FanoutTopics topics)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(client)) {
            committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        }
        List<String> read = List.of(topics.subscriptions().name(), topics.artifactEvents().name(),
                topics.runStatus().name(), topics.treeCancel().name(),
                applicationId + "-" + TopologyNames.MATCHER_SUBSCRIPTIONS_BY_ARTIFACT + "-repartition",
                applicationId + "-" + TopologyNames.MATCHER_PLANS_BY_TREE + "-repartition",
                applicationId + "-" + TopologyNames.TREE_STATUSES_BY_TREE + "-repartition",
                applicationId + "-" + TopologyNames.TREE_CANCELS_BY_TREE + "-repartition");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(client)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : read) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            // A partition never committed is read from its start (Streams reads from the earliest offset too).
            consumer.seekToBeginning(partitions);
            committed.forEach((partition, offset) -> {
                if (partitions.contains(partition)) {
                    consumer.seek(partition, offset.offset());
                }
            });
            return drain(consumer).isEmpty();
        }
    }

    /** Every committed record of a topic, from the beginning. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
        return readAll(Map.of("bootstrap.servers", bootstrapServers), topic);
    }

    /** As {@link #readAll(String, String)}, with client settings (a secured cluster's, say). */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(Map<String, Object> client, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(client)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return drain(consumer);
        }
    }

    /** Polls until the position of every assigned partition reaches its (read_committed) end. */
    private static List<ConsumerRecord<byte[], byte[]>> drain(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
