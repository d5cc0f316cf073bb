package dev.fanout.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** Fanout's throughput defaults for Streams, and that a user's own setting wins over them. */
class StreamsSettingsTest {

    @Test
    void streamsProducerBatchesAndTaskIdlingHaveFanoutsDefaults() {
        Properties properties = StreamsSettings.of(Map.of());

        assertThat(properties.get("producer.batch.size")).isEqualTo(262_144);
        assertThat(properties.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(-1L);
    }

    @Test
    void aBatchSizeGivenWithOrWithoutThePrefixWins() {
        assertThat(StreamsSettings.of(Map.of("producer.batch.size", 65_536)).get("producer.batch.size")).isEqualTo(65_536);
        Properties unprefixed = StreamsSettings.of(Map.of("batch.size", 32_768));
        assertThat(unprefixed.get("producer.batch.size")).isNull();
        assertThat(new StreamsConfig(withRequired(unprefixed)).getProducerConfigs("c").get("batch.size")).isEqualTo(32_768);
        assertThat(StreamsSettings.of(Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L))
                .get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(0L);
    }

    private static Properties withRequired(Properties properties) {
        properties.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        return properties;
    }
}
