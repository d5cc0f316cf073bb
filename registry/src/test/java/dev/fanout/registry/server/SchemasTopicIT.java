package dev.fanout.registry.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.testkit.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An existing topic that cannot be the registry's log is refused at start, with the fix. */
@ExtendWith(KafkaBrokerExtension.class)
class SchemasTopicIT {

    private static void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBrokerExtension.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
        }
    }

    private static EmbeddedSchemaRegistry registryOn(String topic) {
        return EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KafkaBrokerExtension.bootstrapServers()).port(0).topic(topic).build();
    }

    @Test
    void aTopicWithSeveralPartitionsIsRefused() throws Exception {
        // Given
        createTopic("_schemas-two-partitions", 2, Map.of("cleanup.policy", "compact"));

        // When / Then
        assertThatThrownBy(registryOn("_schemas-two-partitions")::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has 2 partitions; it must have exactly 1");
    }

    @Test
    void aTopicThatIsNotCompactedIsRefused() throws Exception {
        // Given
        createTopic("_schemas-not-compacted", 1, Map.of("cleanup.policy", "delete"));

        // When / Then
        assertThatThrownBy(registryOn("_schemas-not-compacted")::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cleanup.policy=delete")
                .hasMessageContaining("cleanup.policy=compact");
    }
}
