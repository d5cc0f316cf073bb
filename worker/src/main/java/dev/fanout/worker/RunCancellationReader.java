package dev.fanout.worker;

import dev.fanout.avro.RunCancellation;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.serde.SpecificAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code run-cancellations} into {@link RecentCancellations}, so running handlers see
 * {@link Run#cancelled()} and a trigger of a cancelled run is not started.
 *
 * <p>One thread reads every partition, without a consumer group: a cancellation is keyed by repository,
 * like the trigger, but the triggers of a repository are shared by the group's workers by partition
 * while the run may be on any of them, so every worker reads every cancellation (the topic is small: one
 * record per run in progress when a tree is cancelled) and keeps those of its own repositories. It reads
 * read_committed (the coordinator writes in transactions).
 *
 * <p>At start it reads back {@link #LOOK_BACK} (by record time) before it returns, so a trigger delivered
 * again after a restart or a rebalance, whose run was cancelled shortly before, is known as cancelled
 * when it is picked up; older cancellations are not looked for. The memory holds the most recent
 * {@code capacity} cancellations; a handler that saw its cancellation keeps it.
 */
final class RunCancellationReader implements AutoCloseable {

    static final Duration LOOK_BACK = Duration.ofMinutes(30);

    private static final Logger LOG = LoggerFactory.getLogger(RunCancellationReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Set<String> repos;
    private final RecentCancellations cancellations;
    private final SpecificAvroDeserializer<RunCancellation> deserializer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    RunCancellationReader(String topic, Set<String> repos, RecentCancellations cancellations,
            Map<String, Object> clientSettings, Map<String, Object> serdeSettings, SchemaRegistryClient registry,
            String name) {
        this.topic = topic;
        this.repos = Set.copyOf(repos);
        this.cancellations = cancellations;
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.deserializer = new SpecificAvroDeserializer<>(RunCancellation.class, registry);
        this.deserializer.configure(serdeSettings, false);
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, name + "-run-cancellations");
        this.thread.setDaemon(true);
    }

    /** Starts reading {@link #LOOK_BACK} back; returns once that is read, so triggers can be checked against it. */
    void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("could not read the recent records of " + topic + " within " + timeout
                    + "; is the broker reachable, and may this principal READ " + topic + " (docs/security.md)?");
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> since = new HashMap<>();
            long from = Instant.now().minus(LOOK_BACK).toEpochMilli();
            partitions.forEach(partition -> since.put(partition, from));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(since);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
            }
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    remember(record);
                }
                if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("the reader of {} was woken up unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            LOG.error("the reader of {} failed; running handlers will not see cancellations of their runs", topic, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void remember(ConsumerRecord<byte[], byte[]> record) {
        // The key is the repository: the records of other services' repositories are not even decoded.
        if (record.key() != null && !repos.contains(new String(record.key(), StandardCharsets.UTF_8))) {
            return;
        }
        try {
            RunCancellation cancellation = deserializer.deserialize(record.topic(), record.value());
            if (cancellation != null && repos.contains(cancellation.getRepo())) {
                cancellations.add(cancellation);
            }
        } catch (RuntimeException e) {
            LOG.warn("skipping an unreadable record of {} at partition {} offset {}: {}", topic, record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        } else {
            consumer.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deserializer.close();
    }
}
