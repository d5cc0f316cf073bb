package dev.fanout.app;

import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.deadletter.DeadLetterDeserializationHandler;
import dev.fanout.deadletter.DeadLetterProcessingHandler;
import dev.fanout.deadletter.DeadLetterProductionHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties of Fanout: the user's settings, with Fanout's defaults (application id,
 * exactly-once with 50 ms commits, RocksDB memory bounded by {@link BoundedRocksDbMemory}, one standby
 * replica and a 6 s session timeout for failover) filled in and the settings Fanout
 * relies on imposed: named internal resources, and the dead-letter handlers writing to the contract's
 * dead-letter topic.
 */
public final class StreamsSettings {

    /** Fanout's defaults for failover, measured by {@code fanout chaos} (docs/reliability.md). */
    public static final int NUM_STANDBY_REPLICAS = 1;
    public static final int SESSION_TIMEOUT_MS = 6_000;
    public static final int HEARTBEAT_INTERVAL_MS = 2_000;
    /** Fanout's defaults for throughput, measured by {@code fanout bench completions} (docs/benchmarks.md). */
    public static final int PRODUCER_BATCH_BYTES = 256 * 1024;
    public static final long MAX_TASK_IDLE_MS = -1L;
    /**
     * Fanout's default for latency under exactly-once, measured by {@code fanout bench latency}
     * (docs/benchmarks.md): half of Streams' 100 ms.
     */
    public static final long EXACTLY_ONCE_COMMIT_INTERVAL_MS = 50L;

    private StreamsSettings() {
    }

    public static Properties of(Map<String, ?> settings) {
        Objects.requireNonNull(settings, "settings");
        FanoutConfig config = new FanoutConfig(settings);
        Map<String, Object> props = new HashMap<>(settings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        // Failover (docs/reliability.md): a warm copy of every task's state on another instance, and a dead
        // instance noticed after SESSION_TIMEOUT_MS (the broker's least by default) rather than the
        // consumer's 45 s. A value given with a
        // consumer prefix still wins over these.
        props.putIfAbsent(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, NUM_STANDBY_REPLICAS);
        props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        // Throughput (docs/benchmarks.md): the coordinator writes a few hundred-byte records per child to some fifty
        // partitions (outputs and changelogs), which fill Kafka's 16 KiB batches at once; larger ones take fewer
        // requests. No task waits for an input partition that has nothing buffered: Fanout orders nothing by
        // timestamp across its inputs (a report always comes after the plan of its run), so the wait bought
        // nothing, and checking for it took 7% of the stream thread's samples in a profile of completions.
        if (!props.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
            props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        }
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, MAX_TASK_IDLE_MS);
        // Latency (docs/benchmarks.md, round six): a TreeDone is read once the transaction that wrote it
        // commits, and workers answer the triggers each commit makes visible at once, so a tree takes whole
        // commit cycles. At half of the completions load, 50 ms commits took the tree-done p99 from 376 ms to
        // 140 ms (medians of 3 runs). At-least-once keeps Streams' own default: its outputs are visible when written.
        if (StreamsConfig.EXACTLY_ONCE_V2.equals(config.processingGuarantee())) {
            props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, EXACTLY_ONCE_COMMIT_INTERVAL_MS);
        }
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                config.topicPrefix() + FanoutTopics.DEAD_LETTERS);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        Properties properties = new Properties();
        properties.putAll(props);
        return properties;
    }
}
