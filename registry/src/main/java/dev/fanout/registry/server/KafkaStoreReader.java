package dev.fanout.registry.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that turns the schemas topic into the registry's state. It reads the topic from the
 * beginning and forever after, applies each polled batch to a copy of the state, publishes the copy,
 * and then announces how far it has read, so that a writer can wait until its own record is applied.
 */
final class KafkaStoreReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaStoreReader.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final Thread thread;
    private volatile RegistryState state = RegistryState.EMPTY;
    private volatile boolean closing;

    // Guarded by this: the next offset to read, and the last reason reading failed (null while it works).
    private long nextOffset;
    private KafkaException failure;

    KafkaStoreReader(Map<String, Object> consumerConfig, String topic) {
        this.consumer = new KafkaConsumer<>(consumerConfig);
        this.partition = new TopicPartition(topic, 0);
        this.thread = new Thread(this::run, "fanout-registry-reader-" + topic);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    RegistryState state() {
        return state;
    }

    /**
     * Waits until the record at {@code offset} is applied to {@link #state()}.
     *
     * @return false if it was not applied within the timeout
     * @throws KafkaException the reason reading fails, if it does
     */
    synchronized boolean awaitApplied(long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (nextOffset <= offset) {
            if (failure != null) {
                throw failure;
            }
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return false;
            }
            wait(remainingMillis);
        }
        return true;
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        thread.interrupt();
        try {
            thread.join(POLL_TIMEOUT.multipliedBy(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (!closing) {
                pollOnce();
            }
        } finally {
            Thread.interrupted(); // close() may have interrupted a back-off; the consumer must still close
            try {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
            } catch (KafkaException e) {
                log.debug("error closing the schemas topic consumer", e);
            }
        }
    }

    private void pollOnce() {
        try {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
            if (records.isEmpty()) {
                applied(-1, null);
                return;
            }
            RegistryState.Builder next = state.toBuilder();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                decode(record).ifPresent(next::apply);
            }
            state = next.build();
            applied(consumer.position(partition), null);
        } catch (WakeupException e) {
            // close() wants the thread to stop: the loop ends.
        } catch (KafkaException e) {
            if (!closing) {
                log.warn("cannot read the schemas topic '{}', retrying in {}: {}", partition.topic(), RETRY_BACKOFF,
                        e.toString());
                applied(-1, e);
                backOff();
            }
        }
    }

    /** Records how far the state goes (a negative position leaves it) and why reading fails, if it does. */
    private synchronized void applied(long position, KafkaException reason) {
        if (position >= 0) {
            nextOffset = position;
        }
        failure = reason;
        notifyAll();
    }

    private Optional<StoreRecord> decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return StoreRecordCodec.decode(record.key(), record.value());
        } catch (IllegalArgumentException e) {
            // One bad record must not stop the registry: skip it, loudly.
            log.warn("skipping record at offset {} of the schemas topic '{}': {}", record.offset(),
                    partition.topic(), e.getMessage());
            return Optional.empty();
        }
    }

    private void backOff() {
        try {
            Thread.sleep(RETRY_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }
}
