package dev.fanout.registry.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.contract.ContractSchemas;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.testkit.DebianPython;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Confluent's own Schema Registry client, the one of {@code confluent-kafka} for Python (Debian's
 * package), against the embedded registry: every shipped contract schema registers as it is, and Fanout's
 * split sources make a round trip with schema references ({@code src/test/python/confluent_client_check.py}).
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConfluentPythonClientIT {

    private static final Path SCRIPT = Path.of("src", "test", "python", "confluent_client_check.py");
    private static final Path CONTRACT = Path.of("..", "schemas", "contract");
    private static final Path SOURCES = Path.of("..", "schemas", "src", "main", "avro", "dev", "fanout", "avro");

    @Test
    void confluentsClientRegistersTheContractAndSplitSchemasWithReferences(EmbeddedKafkaBroker broker) throws Exception {
        DebianPython.require(List.of("confluent_kafka.schema_registry"),
                List.of("python3-confluent-kafka", "python3-requests"));
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(broker.bootstrapServers()).port(0).topic("_schemas-confluent-python").build().start()) {

            DebianPython.Result result = DebianPython.run(Duration.ofSeconds(120), SCRIPT,
                    List.of(registry.url(), CONTRACT.toString(), SOURCES.toString(),
                            Integer.toString(ContractSchemas.NAMES.size())));

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output())
                    .contains("ok: ArtifactEvent.avsc registers as it is under contract.ArtifactEvent-value")
                    .contains("ok: TreeProgress.avsc registers as it is under contract.TreeProgress-value")
                    .contains("ok: the schema by id comes with its references")
                    .contains("ok: the lookup with references finds version 1")
                    .contains("ok: deleting a referenced version is refused with 42206")
                    .contains("all checks passed");
        }
    }
}
