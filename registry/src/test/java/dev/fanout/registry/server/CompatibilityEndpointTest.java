package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_DEFAULT;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_REQUIRED;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_NUMERIC_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.registry.server.RegistryClient.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /compatibility/subjects/{s}/versions/{v}: would this schema be accepted? */
class CompatibilityEndpointTest {

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;

    @BeforeEach
    void firstVersion() {
        client.register("orders-value", ORDER_V1);
    }

    @Test
    void aCompatibleSchemaIsReportedCompatible() {
        Response response = client.post("/compatibility/subjects/orders-value/versions/latest",
                schemaBody(ORDER_WITH_AMOUNT_DEFAULT));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"is_compatible\":true}");
    }

    @Test
    void anIncompatibleSchemaIsReportedIncompatibleWithoutMessagesByDefault() {
        Response response = client.post("/compatibility/subjects/orders-value/versions/latest",
                schemaBody(ORDER_WITH_AMOUNT_REQUIRED));

        assertThat(response.body()).isEqualTo("{\"is_compatible\":false}");
    }

    @Test
    void verboseAnswersSayWhy() {
        // When
        Response response = client.post("/compatibility/subjects/orders-value/versions/latest?verbose=true",
                schemaBody(ORDER_WITH_AMOUNT_REQUIRED));

        // Then
        assertThat(response.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(response.json().get("messages").get(0).asText()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void checkingDoesNotRegister() {
        // When
        client.post("/compatibility/subjects/orders-value/versions/latest", schemaBody(ORDER_WITH_AMOUNT_DEFAULT));

        // Then
        assertThat(client.get("/subjects/orders-value/versions").body()).isEqualTo("[1]");
    }

    @Test
    void aNumberedVersionIsCheckedAgainstThatVersionOnly() {
        // Given version 2 makes amount required; version 1 lacks it
        client.put("/config/orders-value", "{\"compatibility\":\"NONE\"}");
        client.register("orders-value", ORDER_WITH_AMOUNT_REQUIRED);
        client.put("/config/orders-value", "{\"compatibility\":\"BACKWARD\"}");

        // When a schema that adds amount without default is checked against each
        Response againstV1 = client.post("/compatibility/subjects/orders-value/versions/1",
                schemaBody(ORDER_WITH_AMOUNT_REQUIRED));
        Response againstV2 = client.post("/compatibility/subjects/orders-value/versions/2",
                schemaBody(ORDER_WITH_AMOUNT_REQUIRED));

        // Then
        assertThat(againstV1.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(againstV2.json().get("is_compatible").asBoolean()).isTrue();
    }

    @Test
    void latestUnderATransitiveLevelChecksEveryVersion() {
        // Given versions 1 and 2, and a transitive level
        client.register("orders-value", ORDER_WITH_AMOUNT_DEFAULT);
        client.put("/config/orders-value", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");

        // When a schema compatible with version 2 only is checked
        Response response = client.post("/compatibility/subjects/orders-value/versions/latest",
                schemaBody(ORDER_WITH_AMOUNT_REQUIRED));

        // Then
        assertThat(response.json().get("is_compatible").asBoolean()).isFalse();
    }

    @Test
    void withoutAVersionTheCheckIsTheOneRegisteringWouldMake() {
        Response response = client.post("/compatibility/subjects/orders-value/versions",
                schemaBody(ORDER_WITH_NUMERIC_ID));

        assertThat(response.json().get("is_compatible").asBoolean()).isFalse();
    }

    @Test
    void anySchemaIsCompatibleWithTheLatestOfAnUnknownSubject() {
        Response response = client.post("/compatibility/subjects/new-value/versions/latest",
                schemaBody(ORDER_WITH_NUMERIC_ID));

        assertThat(response.body()).isEqualTo("{\"is_compatible\":true}");
    }

    @Test
    void anUnknownVersionIs40402() {
        Response response = client.post("/compatibility/subjects/orders-value/versions/5",
                schemaBody(ORDER_V1));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo(40402);
    }

    @Test
    void anInvalidSchemaIs42201() {
        Response response = client.post("/compatibility/subjects/orders-value/versions/latest",
                schemaBody("{\"type\":\"recrod\"}"));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.errorCode()).isEqualTo(42201);
    }

    @Test
    void anInvalidVersionIs42202() {
        Response response = client.post("/compatibility/subjects/orders-value/versions/0", schemaBody(ORDER_V1));

        assertThat(response.errorCode()).isEqualTo(42202);
    }
}
