package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.registry.server.RegistryClient.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** POST /subjects/{subject}: is this schema registered under this subject, and as what? */
class LookupSchemaTest {

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;

    @Test
    void aRegisteredSchemaIsFoundWithItsSubjectVersionAndId() {
        // Given
        client.register("orders-value", ORDER_V1);
        int id = client.register("orders-value", ORDER_WITH_AMOUNT_DEFAULT);

        // When
        Response response = client.post("/subjects/orders-value", schemaBody(ORDER_WITH_AMOUNT_DEFAULT));

        // Then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("subject").asText()).isEqualTo("orders-value");
        assertThat(response.json().get("version").asInt()).isEqualTo(2);
        assertThat(response.json().get("id").asInt()).isEqualTo(id);
        assertThat(response.json().get("schema").asText()).contains("\"amount\"");
    }

    @Test
    void aSchemaNotRegisteredUnderTheSubjectIs40403() {
        // Given
        client.register("orders-value", ORDER_V1);
        client.register("other-value", ORDER_WITH_AMOUNT_DEFAULT);

        // When
        Response response = client.post("/subjects/orders-value", schemaBody(ORDER_WITH_AMOUNT_DEFAULT));

        // Then
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo(40403);
        assertThat(response.message()).isEqualTo("Schema not found");
    }

    @Test
    void anUnknownSubjectIs40401() {
        // When
        Response response = client.post("/subjects/nobody-value", schemaBody(ORDER_V1));

        // Then
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo(40401);
        assertThat(response.message()).isEqualTo("Subject 'nobody-value' not found.");
    }

    @Test
    void aSoftDeletedVersionIsFoundOnlyWhenDeletedOnesAreAskedFor() {
        // Given
        client.register("orders-value", ORDER_V1);
        client.register("orders-value", ORDER_WITH_AMOUNT_DEFAULT);
        client.delete("/subjects/orders-value/versions/1");

        // When
        Response hidden = client.post("/subjects/orders-value", schemaBody(ORDER_V1));
        Response found = client.post("/subjects/orders-value?deleted=true", schemaBody(ORDER_V1));

        // Then
        assertThat(hidden.errorCode()).isEqualTo(40403);
        assertThat(found.json().get("version").asInt()).isEqualTo(1);
    }
}
