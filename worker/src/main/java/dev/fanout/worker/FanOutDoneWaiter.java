package dev.fanout.worker;

import dev.fanout.avro.FanOutDone;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.serde.SpecificAvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * Resumes the runs waiting in {@code emitAndWait}. One thread reads every partition of
 * {@code fanout-done} from where it was when the worker started, read_committed (the coordinator writes
 * in transactions), and completes the waiter registered for the record's fan-out id. Waiters register
 * before their event is produced, so a fast {@code FanOutDone} is never missed.
 *
 * <p>A {@code FanOutDone} sent before its waiter registered (the fan-out was started by an earlier
 * attempt or by a worker that crashed) is found by {@link #lookBack}, which scans the topic from a point
 * in time with a consumer of its own.
 */
final class FanOutDoneWaiter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FanOutDoneWaiter.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Map<String, Object> consumerSettings;
    private final SpecificAvroDeserializer<FanOutDone> deserializer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, CompletableFuture<FanOutDone>> waiters = new ConcurrentHashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    FanOutDoneWaiter(String topic, Map<String, Object> clientSettings, Map<String, Object> serdeSettings,
            SchemaRegistryClient registry, String name) {
        this.topic = topic;
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerSettings = settings;
        this.deserializer = new SpecificAvroDeserializer<>(FanOutDone.class, registry);
        this.deserializer.configure(serdeSettings, false);
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, name + "-fanout-done");
        this.thread.setDaemon(true);
    }

    /** Starts reading from the current end of every partition; returns once the positions are taken. */
    void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("could not position the reader of " + topic + " within " + timeout
                    + "; is the broker reachable?");
        }
    }

    /** Registers interest in a fan-out; call before producing its event. */
    CompletableFuture<FanOutDone> register(String fanOutId) {
        return waiters.computeIfAbsent(fanOutId, id -> new CompletableFuture<>());
    }

    void unregister(String fanOutId) {
        waiters.remove(fanOutId);
    }

    /**
     * Scans {@code fanout-done} from {@code since} to its current end for the fan-out, on the caller's
     * thread; completes its waiter when found.
     */
    Optional<FanOutDone> lookBack(String fanOutId, Instant since) {
        try (KafkaConsumer<byte[], byte[]> scanner =
                new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(scanner);
            scanner.assign(partitions);
            Map<TopicPartition, Long> ends = scanner.endOffsets(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(partition -> query.put(partition, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = scanner.offsetsForTimes(query);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                scanner.seek(partition, start == null ? ends.get(partition) : start.offset());
            }
            while (partitions.stream().anyMatch(p -> scanner.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : scanner.poll(POLL)) {
                    FanOutDone done = deserializer.deserialize(record.topic(), record.value());
                    if (done != null && done.getFanOutId().equals(fanOutId)) {
                        Optional.ofNullable(waiters.get(fanOutId)).ifPresent(w -> w.complete(done));
                        return Optional.of(done);
                    }
                }
            }
            return Optional.empty();
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    resume(record);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("the reader of {} was woken up unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            LOG.error("the reader of {} failed; runs waiting in emitAndWait will time out", topic, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void resume(ConsumerRecord<byte[], byte[]> record) {
        if (waiters.isEmpty()) {
            return;
        }
        try {
            FanOutDone done = deserializer.deserialize(record.topic(), record.value());
            if (done != null) {
                CompletableFuture<FanOutDone> waiter = waiters.get(done.getFanOutId());
                if (waiter != null) {
                    waiter.complete(done);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("skipping an unreadable record of {} at partition {} offset {}: {}", topic, record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> reader) {
        return reader.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
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
        waiters.values().forEach(w -> w.cancel(false));
        deserializer.close();
    }
}
