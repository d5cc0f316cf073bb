package dev.fanout.registry.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedSchemaRegistryBuilderTest {

    @Test
    void bootstrapServersAreRequired() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bootstrapServers");
    }

    @Test
    void aPortOutsideTcpsRangeIsRefused() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().port(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }

    @Test
    void aReplicationFactorBelowOneIsRefused() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().replicationFactor(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().operationTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("operationTimeout");
    }

    @Test
    void aRegistryThatIsNotStartedHasNoUrl() {
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers("127.0.0.1:9092").build();

        assertThatThrownBy(registry::url).isInstanceOf(IllegalStateException.class);
    }
}
