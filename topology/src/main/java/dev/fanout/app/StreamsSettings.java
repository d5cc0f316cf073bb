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
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties of Fanout: the user's settings, with Fanout's defaults (application id,
 * exactly-once, RocksDB memory bounded by {@link BoundedRocksDbMemory}) filled in and the settings Fanout
 * relies on imposed: named internal resources, and the dead-letter handlers writing to the contract's
 * dead-letter topic.
 */
public final class StreamsSettings {

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
