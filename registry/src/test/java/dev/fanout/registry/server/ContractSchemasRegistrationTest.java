package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.contract.ContractSchemas;
import dev.fanout.registry.server.RegistryClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every schema of schemas/contract/ registers as it is, with no references, and reads back the same. */
class ContractSchemasRegistrationTest {

    private static final Path CONTRACT = Path.of("..", "schemas", "contract");
    static final List<String> NAMES = ContractSchemas.NAMES;

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;

    @ParameterizedTest
    @FieldSource("NAMES")
    void theShippedFileRegistersAsItIs(String name) throws IOException {
        String file = Files.readString(CONTRACT.resolve(ContractSchemas.fileName(name)));

        Response registered = client.post("/subjects/fanout." + name + "-value/versions", schemaBody(file));

        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        Response byId = client.get("/schemas/ids/" + registered.json().get("id").asInt());
        assertThat(byId.json().has("references")).isFalse();
        assertThat(new Schema.Parser().parse(byId.json().get("schema").asText()))
                .isEqualTo(new Schema.Parser().parse(file));
        Response lookedUp = client.post("/subjects/fanout." + name + "-value", schemaBody(file));
        assertThat(lookedUp.json().get("version").asInt()).as(lookedUp.body()).isEqualTo(1);
    }
}
