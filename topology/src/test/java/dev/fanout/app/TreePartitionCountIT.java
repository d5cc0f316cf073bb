package dev.fanout.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopicInstaller;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Fanout refuses to start, saying why, on topics where a tree's plans and reports would part ways. */
@ExtendWith(KafkaBrokerExtension.class)
class TreePartitionCountIT {

    @TempDir
    Path stateDir;

    @Test
    void moreStatusPartitionsThanEventPartitionsIsRefused() throws Exception {
        Map<String, Object> settings = settings();
        FanoutTopics topics = FanoutTopics.from(settings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBrokerExtension.bootstrapServers()))) {
            new TopicInstaller(admin).install(topics.specs(), 3, (short) 1);
            admin.createPartitions(Map.of(topics.runStatus().name(), NewPartitions.increaseTo(6))).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeTopics(List.of(topics.runStatus().name()))
                    .allTopicNames().get().get(topics.runStatus().name()).partitions().size() == 6);
        }

        assertThatThrownBy(() -> FanoutApp.start(settings).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(topics.artifactEvents().name() + " has 3 partitions and "
                        + topics.runStatus().name() + " has 6")
                .hasMessageContaining("Recreate " + topics.runStatus().name() + " with 3 partitions");
    }

    @Test
    void missingTopicsAreNamedWithTheCommandThatCreatesThem() {
        Map<String, Object> settings = settings();
        FanoutTopics topics = FanoutTopics.from(settings);

        assertThatThrownBy(() -> FanoutApp.start(settings).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(topics.runStatus().name())
                .hasMessageContaining("fanout topics create");
    }

    private Map<String, Object> settings() {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers());
        settings.put("schema.registry.url", "http://localhost:1"); // never reached: Fanout stops before reading
        settings.put(FanoutConfig.TOPIC_PREFIX, "parts-" + unique + ".");
        settings.put(FanoutConfig.APPLICATION_ID, "fanout-parts-" + unique);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(FanoutConfig.HTTP_PORT, -1);
        return settings;
    }
}
