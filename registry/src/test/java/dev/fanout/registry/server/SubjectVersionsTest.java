package dev.fanout.registry.server;

import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.registry.server.RegistryClient.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /, /subjects, /subjects/{s}/versions[/{v}[/schema]] and /schemas/types. */
class SubjectVersionsTest {

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;

    @Test
    void theRootAnswersAnEmptyObject() {
        assertThat(client.get("/").body()).isEqualTo("{}");
    }

    @Test
    void subjectsAreListedByName() {
        // Given
        client.register("b-value", TestSchemas.record("B"));
        client.register("a-value", TestSchemas.record("A"));

        // When / Then
        assertThat(client.get("/subjects").body()).isEqualTo("[\"a-value\",\"b-value\"]");
    }

    @Test
    void noSubjectsIsAnEmptyList() {
        assertThat(client.get("/subjects").body()).isEqualTo("[]");
    }

    @Test
    void aVersionIsReturnedWithSubjectVersionIdAndSchema() {
        // Given
        int id = client.register("orders-value", ORDER_V1);

        // When
        JsonNode version = client.get("/subjects/orders-value/versions/1").json();

        // Then Confluent's shape, without schemaType for AVRO
        assertThat(version.fieldNames()).toIterable().containsExactly("subject", "version", "id", "schema");
        assertThat(version.get("subject").asText()).isEqualTo("orders-value");
        assertThat(version.get("version").asInt()).isEqualTo(1);
        assertThat(version.get("id").asInt()).isEqualTo(id);
    }

    @ParameterizedTest(name = "version \"{0}\" is the latest")
    @ValueSource(strings = {"latest", "-1"})
    void latestAndMinusOneNameTheLatestVersion(String version) {
        // Given
        client.register("orders-value", ORDER_V1);
        client.register("orders-value", ORDER_WITH_AMOUNT_DEFAULT);

        // When / Then
        assertThat(client.get("/subjects/orders-value/versions/" + version).json().get("version").asInt())
                .isEqualTo(2);
    }

    @Test
    void theSchemaEndpointReturnsTheSchemaItself() {
        // Given
        client.register("orders-value", ORDER_V1);

        // When
        Response response = client.get("/subjects/orders-value/versions/latest/schema");

        // Then
        assertThat(response.json().get("name").asText()).isEqualTo("Order");
        assertThat(response.body()).isEqualTo(client.get("/subjects/orders-value/versions/1").json().get("schema").asText());
    }

    @Test
    void anUnknownSubjectIs40401() {
        Response response = client.get("/subjects/nobody-value/versions");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo(40401);
    }

    @Test
    void anUnknownVersionOfAKnownSubjectIs40402() {
        // Given
        client.register("orders-value", ORDER_V1);

        // When
        Response response = client.get("/subjects/orders-value/versions/9");

        // Then
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo(40402);
        assertThat(response.message()).isEqualTo("Version 9 not found.");
    }

    @Test
    void aVersionOfAnUnknownSubjectIs40401() {
        assertThat(client.get("/subjects/nobody-value/versions/1").errorCode()).isEqualTo(40401);
    }

    @ParameterizedTest(name = "version \"{0}\" is 42202")
    @ValueSource(strings = {"0", "-2", "one", "1.0", "99999999999"})
    void anInvalidVersionIs42202(String version) {
        // Given
        client.register("orders-value", ORDER_V1);

        // When
        Response response = client.get("/subjects/orders-value/versions/" + version);

        // Then
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.errorCode()).isEqualTo(42202);
    }

    @Test
    void theOnlySchemaTypeIsAvro() {
        assertThat(client.get("/schemas/types").body()).isEqualTo("[\"AVRO\"]");
    }
}
