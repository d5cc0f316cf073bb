package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.server.RegistryClient.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When Kafka is not there, the registry says so: at start, or as error 50001 on writes. */
class KafkaUnavailableIT {

    @TempDir
    Path brokerData;

    @Test
    void aRegistryThatCannotReachKafkaFailsToStartWithAClearError() throws IOException {
        // Given an address where nothing listens
        String nowhere = "127.0.0.1:" + closedPort();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(nowhere).port(0).topic("_schemas-unreachable")
                .startupTimeout(Duration.ofSeconds(3))
                .build();

        // When / Then
        assertThatThrownBy(registry::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("_schemas-unreachable")
                .hasMessageContaining("within PT3S")
                .hasMessageContaining("reachable");
    }

    @Test
    void writesFailWith50001WhileTheBrokerIsDownAndReadsGoOn() {
        // Given a registry on a broker of its own, with a schema registered
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(brokerData).port(0).build().start();
        String bootstrapServers = broker.bootstrapServers();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(bootstrapServers).port(0).topic("_schemas-broker-goes-away")
                .operationTimeout(Duration.ofSeconds(3))
                .build().start()) {
            RegistryClient client = new RegistryClient(registry.url());
            int id = client.register("orders-value", TestSchemas.ORDER_V1);

            // When the broker stops
            broker.close();
            Response write = client.post("/subjects/orders-value/versions",
                    schemaBody(TestSchemas.ORDER_WITH_AMOUNT_DEFAULT));

            // Then
            assertThat(write.status()).isEqualTo(500);
            assertThat(write.errorCode()).isEqualTo(50001);
            assertThat(write.message()).contains("_schemas-broker-goes-away", bootstrapServers);
            assertThat(client.get("/schemas/ids/" + id).status()).isEqualTo(200);
        } finally {
            broker.close();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
