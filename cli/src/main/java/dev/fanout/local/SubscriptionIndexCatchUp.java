package dev.fanout.local;

import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopologyNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tells when a running Fanout has indexed every subscription published so far, so that an event emitted
 * next is matched against all of them. Subscriptions reach the matcher's index through a repartition topic
 * (docs/matcher.md): the index has caught up when the application's committed offsets on the subscriptions
 * topic and on that repartition topic leave no committed record behind them.
 *
 * <p>The committed offsets are read before the topics' ends. Under exactly-once the offsets of the
 * subscriptions topic commit in the same transaction as the repartition records they caused, so once those
 * offsets are at the end, the records are visible to this read_committed check. Transaction markers take
 * offsets but are not records, which is why the check reads rather than compares offsets.
 */
public final class SubscriptionIndexCatchUp {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> kafka;
    private final String applicationId;
    private final List<String> topics;

    /**
     * @param kafka         client settings that reach the cluster (bootstrap.servers, security...)
     * @param applicationId the Fanout application's {@code application.id}
     * @param fanoutTopics  its topics
     */
    public SubscriptionIndexCatchUp(Map<String, Object> kafka, String applicationId, FanoutTopics fanoutTopics) {
        this.kafka = Map.copyOf(Objects.requireNonNull(kafka, "kafka"));
        this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
        this.topics = List.of(fanoutTopics.subscriptions().name(),
                applicationId + "-" + TopologyNames.MATCHER_SUBSCRIPTIONS_BY_ARTIFACT + "-repartition");
    }

    /** The topics whose records must all be processed: the subscriptions topic and the index's repartition topic. */
    public List<String> topics() {
        return topics;
    }

    /** Waits until the index has caught up; throws a {@link TimeoutException} naming what is left after {@code timeout}. */
    public void await(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long behind;
        while ((behind = recordsBehind()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Fanout (application.id " + applicationId + ") still had " + behind
                        + " subscription record(s) to index after " + timeout.toSeconds() + " s (" + topics
                        + "); is the topology running?");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Committed records of {@link #topics()} past the application's committed offsets; 0 when it has caught up. */
    public long recordsBehind() throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(kafka)) {
            committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the committed offsets of " + applicationId + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            // A partition never committed is read from its start, as Streams reads it.
            consumer.seekToBeginning(partitions);
            committed.forEach((partition, offset) -> {
                if (partitions.contains(partition) && offset != null) {
                    consumer.seek(partition, offset.offset());
                }
            });
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long records = 0;
            while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
                records += consumer.poll(POLL).count();
            }
            return records;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
