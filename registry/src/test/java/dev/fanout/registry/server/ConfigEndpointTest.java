package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_NUMERIC_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.registry.server.RegistryClient.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** GET/PUT/DELETE /config and /config/{subject}. */
class ConfigEndpointTest {

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;

    @Test
    void theGlobalLevelIsBackwardByDefault() {
        assertThat(client.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void settingTheGlobalLevelEchoesItAndChangesIt() {
        // When
        Response response = client.put("/config", "{\"compatibility\":\"FULL\"}");

        // Then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"compatibility\":\"FULL\"}");
        assertThat(client.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
    }

    @Test
    void levelsMayBeGivenInLowerCase() {
        client.put("/config", "{\"compatibility\":\"forward_transitive\"}");

        assertThat(client.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("FORWARD_TRANSITIVE");
    }

    @Test
    void deletingTheGlobalLevelRestoresTheDefault() {
        // Given
        client.put("/config", "{\"compatibility\":\"NONE\"}");

        // When
        Response response = client.delete("/config");

        // Then
        assertThat(response.body()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
        assertThat(client.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void aSubjectLevelIsReadBack() {
        // When
        client.put("/config/orders-value", "{\"compatibility\":\"FULL_TRANSITIVE\"}");

        // Then
        assertThat(client.get("/config/orders-value").body()).isEqualTo("{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}");
    }

    @Test
    void aSubjectWithoutItsOwnLevelIs40408() {
        Response response = client.get("/config/orders-value");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo(40408);
    }

    @Test
    void aSubjectWithoutItsOwnLevelFallsBackToTheGlobalOneWhenAsked() {
        // Given
        client.put("/config", "{\"compatibility\":\"FORWARD\"}");

        // When / Then
        assertThat(client.get("/config/orders-value?defaultToGlobal=true").body())
                .isEqualTo("{\"compatibilityLevel\":\"FORWARD\"}");
    }

    @Test
    void deletingASubjectLevelReturnsItAndFallsBackToTheGlobalOne() {
        // Given
        client.put("/config/orders-value", "{\"compatibility\":\"NONE\"}");

        // When
        Response response = client.delete("/config/orders-value");

        // Then
        assertThat(response.body()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
        assertThat(client.get("/config/orders-value").errorCode()).isEqualTo(40408);
    }

    @Test
    void deletingALevelASubjectDoesNotHaveIs40401() {
        assertThat(client.delete("/config/orders-value").errorCode()).isEqualTo(40401);
    }

    @Test
    void aSubjectLevelGovernsRegistrationUnderThatSubject() {
        // Given
        client.register("orders-value", ORDER_V1);
        client.put("/config/orders-value", "{\"compatibility\":\"NONE\"}");

        // When
        Response response = client.post("/subjects/orders-value/versions", schemaBody(ORDER_WITH_NUMERIC_ID));

        // Then
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void anUnknownLevelIs42203() {
        Response response = client.put("/config", "{\"compatibility\":\"SIDEWAYS\"}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.errorCode()).isEqualTo(42203);
        assertThat(response.message()).contains("SIDEWAYS", "backward_transitive");
    }

    @Test
    void aBodyWithoutALevelIs42203() {
        assertThat(client.put("/config/orders-value", "{}").errorCode()).isEqualTo(42203);
    }
}
