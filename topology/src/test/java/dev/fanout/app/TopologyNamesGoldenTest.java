package dev.fanout.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.AvroSerdes;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Pins every processor, store and topic name of the production topology. A store's changelog and a
 * repartition topic are named after them: renaming one on upgrade starts it empty, losing the trees in
 * flight. A change here must be deliberate: when it is, regenerate the file with
 * {@code -Dfanout.golden.update=true} and say in the commit why the old name may go.
 */
class TopologyNamesGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/topology-describe.txt");

    @Test
    void theTopologysNamesAreTheOnesReleasedNodesAndChangelogsDependOn() throws IOException {
        // Given the production topology, built as the application builds it
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put("schema.registry.url", "http://in-memory:8081");
        FanoutConfig config = new FanoutConfig(settings);
        FanoutTopics topics = new FanoutTopics(config.topicPrefix(), new AvroSerdes(settings,
                new InMemorySchemaRegistryClient()));
        StreamsBuilder builder = new StreamsBuilder();
        FanoutTopology.build(builder, topics, config);
        Properties properties = StreamsSettings.of(settings);

        // When it is described
        String described = builder.build(properties).describe().toString().strip() + "\n";

        // Then every name is the pinned one
        if (Boolean.getBoolean("fanout.golden.update")) {
            Files.writeString(GOLDEN, described, StandardCharsets.UTF_8);
        }
        assertThat(described)
                .as("the topology's names changed; if on purpose, run with -Dfanout.golden.update=true (see the class comment)")
                .isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }
}
