package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_DEFAULT;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.registry.server.RegistryClient.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** POST /subjects/{subject}/versions: ids are global and deduplicated, versions count per subject. */
class RegisterSchemaTest {

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;

    @Test
    void theFirstSchemaGetsId1() {
        // When
        Response response = client.post("/subjects/orders-value/versions", schemaBody(ORDER_V1));

        // Then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":1}");
        assertThat(response.contentType()).isEqualTo(RegistryClient.V1_JSON);
    }

    @Test
    void registeringTheSameSchemaAgainReturnsItsIdWithoutANewVersion() {
        // Given
        int id = client.register("orders-value", ORDER_V1);

        // When
        int again = client.register("orders-value", ORDER_V1);

        // Then
        assertThat(again).isEqualTo(id);
        assertThat(client.get("/subjects/orders-value/versions").body()).isEqualTo("[1]");
    }

    @Test
    void whitespaceAndAttributeOrderDoNotMakeADifferentSchema() {
        // Given
        int id = client.register("orders-value", ORDER_V1);

        // When the same schema is sent laid out differently
        int again = client.register("orders-value",
                "{ \"namespace\" : \"dev.fanout.test\", \"name\": \"Order\", \"type\": \"record\",\n"
                        + "  \"fields\": [ {\"type\": \"string\", \"name\": \"id\"} ] }");

        // Then
        assertThat(again).isEqualTo(id);
    }

    @Test
    void theSameSchemaUnderAnotherSubjectReusesItsId() {
        // Given
        int id = client.register("orders-value", ORDER_V1);

        // When
        int other = client.register("archived-orders-value", ORDER_V1);

        // Then
        assertThat(other).isEqualTo(id);
        assertThat(client.get("/subjects/archived-orders-value/versions").body()).isEqualTo("[1]");
    }

    @Test
    void aNewSchemaGetsTheNextIdAndTheSubjectsNextVersion() {
        // Given
        client.register("orders-value", ORDER_V1);

        // When
        int id = client.register("orders-value", ORDER_WITH_AMOUNT_DEFAULT);

        // Then
        assertThat(id).isEqualTo(2);
        assertThat(client.get("/subjects/orders-value/versions").body()).isEqualTo("[1,2]");
        assertThat(client.get("/subjects/orders-value/versions/2").json().get("id").asInt()).isEqualTo(2);
    }

    @Test
    void versionsCountPerSubjectWhileIdsCountGlobally() {
        // Given a schema in one subject
        client.register("a", TestSchemas.record("A"));

        // When another subject gets its first schema
        int id = client.register("b", TestSchemas.record("B"));

        // Then it is version 1 there, with the next global id
        assertThat(id).isEqualTo(2);
        assertThat(client.get("/subjects/b/versions/1").json().get("id").asInt()).isEqualTo(2);
    }

    @Test
    void anIncompatibleSchemaIsRefusedWith409AndTheReasons() {
        // Given the default BACKWARD level and a first version
        client.register("orders-value", ORDER_V1);

        // When a required field is added
        Response response = client.post("/subjects/orders-value/versions", schemaBody(ORDER_WITH_AMOUNT_REQUIRED));

        // Then
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.errorCode()).isEqualTo(409);
        assertThat(response.message()).startsWith(
                "Schema being registered is incompatible with an earlier schema for subject \"orders-value\"")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "amount", "{oldSchemaVersion: 1}",
                        "{compatibility: 'BACKWARD'}");
        assertThat(client.get("/subjects/orders-value/versions").body()).isEqualTo("[1]");
    }

    @Test
    void theSchemaIsStoredInAvrosNormalizedForm() {
        // When
        client.register("orders-value", "{\"type\": \"string\"}");

        // Then
        assertThat(client.get("/subjects/orders-value/versions/1").json().get("schema").asText())
                .isEqualTo("\"string\"");
    }

    @Test
    void anExplicitAvroSchemaTypeIsAccepted() {
        // When
        Response response = client.post("/subjects/orders-value/versions",
                "{\"schemaType\":\"AVRO\",\"references\":[],\"schema\":\"\\\"long\\\"\"}");

        // Then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("id").asInt()).isEqualTo(1);
    }

    @Test
    void subjectsWithCharactersThatNeedEncodingWork() {
        // When
        client.register("team%2Forders%20value", ORDER_V1);

        // Then
        assertThat(client.get("/subjects").json().get(0).asText()).isEqualTo("team/orders value");
    }

    @Test
    void anUnknownTypeNameIsNamedInTheError() {
        // When
        Response response = client.post("/subjects/orders-value/versions", schemaBody("{\"type\":\"recrod\"}"));

        // Then
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.errorCode()).isEqualTo(42201);
        assertThat(response.message()).contains("unknown type 'recrod'", "record, enum, array, map or fixed")
                .doesNotContain("UnresolvedSchema");
    }
}
