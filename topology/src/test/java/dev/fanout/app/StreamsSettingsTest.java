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
    void exactlyOnceCommitsEvery50MsUnlessTheUserSaysOtherwise() {
        assertThat(new StreamsConfig(withRequired(StreamsSettings.of(Map.of())))
                .getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(50L);
        assertThat(new StreamsConfig(withRequired(StreamsSettings.of(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200L))))
                .getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(200L);
        // At-least-once keeps Streams' default (30 s): its outputs do not wait for a commit to be read.
        Properties atLeastOnce = StreamsSettings.of(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
        assertThat(new StreamsConfig(withRequired(atLeastOnce)).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .isEqualTo(30_000L);
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
