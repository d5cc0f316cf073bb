package dev.fanout.registry.server;

import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.registry.server.RegistryClient.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** GET /schemas/ids/{id} and /schemas/ids/{id}/versions: what deserializers ask. */
class SchemasByIdTest {

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;

    @Test
    void anIdResolvesToItsSchema() {
        // Given
        int id = client.register("orders-value", ORDER_V1);

        // When
        Response response = client.get("/schemas/ids/" + id);

        // Then only the schema, since AVRO is the default type
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().fieldNames()).toIterable().containsExactly("schema");
        assertThat(response.json().get("schema").asText())
                .isEqualTo(client.get("/subjects/orders-value/versions/1").json().get("schema").asText());
    }

    @Test
    void anUnknownIdIs40403() {
        Response response = client.get("/schemas/ids/99");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo(40403);
        assertThat(response.message()).isEqualTo("Schema 99 not found");
    }

    @Test
    void anIdThatIsNotANumberNamesNothing() {
        assertThat(client.get("/schemas/ids/first").errorCode()).isEqualTo(404);
    }

    @Test
    void anIdListsTheSubjectVersionsRegisteredWithIt() {
        // Given
        int id = client.register("orders-value", ORDER_V1);
        client.register("archived-orders-value", ORDER_V1);

        // When
        Response response = client.get("/schemas/ids/" + id + "/versions");

        // Then
        assertThat(response.body()).isEqualTo("[{\"subject\":\"archived-orders-value\",\"version\":1},"
                + "{\"subject\":\"orders-value\",\"version\":1}]");
    }

    @Test
    void softDeletedVersionsOfAnIdAreListedOnlyWhenAskedFor() {
        // Given
        int id = client.register("orders-value", ORDER_V1);
        client.delete("/subjects/orders-value");

        // When / Then
        assertThat(client.get("/schemas/ids/" + id + "/versions").body()).isEqualTo("[]");
        assertThat(client.get("/schemas/ids/" + id + "/versions?deleted=true").body())
                .isEqualTo("[{\"subject\":\"orders-value\",\"version\":1}]");
    }

    @Test
    void theVersionsOfAnUnknownIdAre40403() {
        assertThat(client.get("/schemas/ids/5/versions").errorCode()).isEqualTo(40403);
    }
}
