package dev.fanout.config;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Fanout's own settings, declared once. Anything not listed here is passed through to the Kafka clients
 * (and the Schema Registry serde) unchanged. {@code docs/configuration.md} is checked against this
 * definition by a test.
 */
public final class FanoutConfig extends AbstractConfig {

    public static final String TOPIC_PREFIX = "fanout.topic.prefix";
    public static final String TOPIC_PARTITIONS = "fanout.topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "fanout.topic.replication.factor";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOPIC_PREFIX, Type.STRING, "fanout.", new TopicPrefixValidator(), Importance.HIGH,
                    "Prefix of every topic name of the contract: 'fanout.' gives 'fanout.artifact-events'. "
                            + "Use it to run several Fanout installations on one cluster.")
            .define(TOPIC_PARTITIONS, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of each topic created by 'fanout topics create' and 'fanout dev'. "
                            + "Events and subscriptions must have the same count (they are co-partitioned).")
            .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, new ReplicationValidator(), Importance.MEDIUM,
                    "Replication factor of created topics; -1 takes the broker's default.");

    public FanoutConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public static ConfigDef configDef() {
        return new ConfigDef(DEFINITION);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public int topicPartitions() {
        return getInt(TOPIC_PARTITIONS);
    }

    public short topicReplicationFactor() {
        return getShort(TOPIC_REPLICATION_FACTOR);
    }

    private static final class TopicPrefixValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String prefix = (String) value;
            if (prefix == null || !prefix.matches("[a-zA-Z0-9._-]*")) {
                throw new ConfigException(name, value,
                        "a topic prefix may use only letters, digits, '.', '_' and '-', such as 'acme.fanout.'");
            }
            if (prefix.length() > 200) {
                throw new ConfigException(name, value, "keep the prefix under 200 characters (topic names max 249)");
            }
        }

        @Override
        public String toString() {
            return "[a-zA-Z0-9._-]*";
        }
    }

    private static final class ReplicationValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            short rf = (Short) value;
            if (rf < 1 && rf != -1) {
                throw new ConfigException(name, value, "use 1 or more, or -1 for the broker's default");
            }
        }

        @Override
        public String toString() {
            return "-1 or at least 1";
        }
    }
}
