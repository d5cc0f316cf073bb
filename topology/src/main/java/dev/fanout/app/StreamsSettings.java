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
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties of Fanout: the user's settings, with Fanout's defaults (application id,
 * exactly-once, RocksDB memory bounded by {@link BoundedRocksDbMemory}, one standby replica and a 6 s session
 * timeout for failover) filled in and the settings Fanout
 * relies on imposed: named internal resources, and the dead-letter handlers writing to the contract's
 * dead-letter topic.
 */
public final class StreamsSettings {

    /** Fanout's defaults for failover, measured by {@code fanout chaos} (docs/reliability.md). */
    public static final int NUM_STANDBY_REPLICAS = 1;
    public static final int SESSION_TIMEOUT_MS = 6_000;
    public static final int HEARTBEAT_INTERVAL_MS = 2_000;

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
