package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.registry.server.RegistryClient.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DELETE /subjects/{s}: soft first, permanent only after, as Confluent requires. */
class DeleteSubjectTest {

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;
    int firstId;

    @BeforeEach
    void twoVersions() {
        firstId = client.register("orders-value", ORDER_V1);
        client.register("orders-value", ORDER_WITH_AMOUNT_DEFAULT);
    }

    @Test
    void aSoftDeleteReturnsTheDeletedVersions() {
        Response response = client.delete("/subjects/orders-value");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[1,2]");
    }

    @Test
    void aSoftDeletedSubjectIsListedOnlyWhenDeletedOnesAreAskedFor() {
        // When
        client.delete("/subjects/orders-value");

        // Then
        assertThat(client.get("/subjects").body()).isEqualTo("[]");
        assertThat(client.get("/subjects?deleted=true").body()).isEqualTo("[\"orders-value\"]");
        assertThat(client.get("/subjects/orders-value/versions").errorCode()).isEqualTo(40401);
        assertThat(client.get("/subjects/orders-value/versions?deleted=true").body()).isEqualTo("[1,2]");
        assertThat(client.get("/subjects/orders-value/versions/1?deleted=true").status()).isEqualTo(200);
    }

    @Test
    void aSoftDeletedSchemaStillResolvesByIdForConsumersOfOldData() {
        // When
        client.delete("/subjects/orders-value");

        // Then
        assertThat(client.get("/schemas/ids/" + firstId).status()).isEqualTo(200);
    }

    @Test
    void reRegisteringASoftDeletedSchemaMakesANewVersionWithTheSameId() {
        // Given
        client.delete("/subjects/orders-value");

        // When
        int id = client.register("orders-value", ORDER_V1);

        // Then
        assertThat(id).isEqualTo(firstId);
        assertThat(client.get("/subjects/orders-value/versions").body()).isEqualTo("[3]");
    }

    @Test
    void softDeletedVersionsNoLongerConstrainCompatibility() {
        // Given a subject whose versions are soft-deleted
        client.delete("/subjects/orders-value");

        // When a schema incompatible with them is registered
        Response response = client.post("/subjects/orders-value/versions",
                schemaBody(TestSchemas.ORDER_WITH_NUMERIC_ID));

        // Then
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void softDeletingASoftDeletedSubjectIs40404() {
        // Given
        client.delete("/subjects/orders-value");

        // When
        Response response = client.delete("/subjects/orders-value");

        // Then
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo(40404);
    }

    @Test
    void aPermanentDeleteBeforeASoftDeleteIs40405() {
        // When
        Response response = client.delete("/subjects/orders-value?permanent=true");

        // Then
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo(40405);
        assertThat(client.get("/subjects/orders-value/versions").body()).isEqualTo("[1,2]");
    }

    @Test
    void aPermanentDeleteAfterASoftDeleteRemovesEverything() {
        // Given
        client.delete("/subjects/orders-value");

        // When
        Response response = client.delete("/subjects/orders-value?permanent=true");

        // Then
        assertThat(response.body()).isEqualTo("[1,2]");
        assertThat(client.get("/subjects?deleted=true").body()).isEqualTo("[]");
        assertThat(client.get("/schemas/ids/" + firstId).errorCode()).isEqualTo(40403);
    }

    @Test
    void aPermanentDeleteRemovesTheSubjectsCompatibilityLevel() {
        // Given
        client.put("/config/orders-value", "{\"compatibility\":\"NONE\"}");
        client.delete("/subjects/orders-value");

        // When
        client.delete("/subjects/orders-value?permanent=true");

        // Then
        assertThat(client.get("/config/orders-value").errorCode()).isEqualTo(40408);
    }

    @Test
    void deletingAnUnknownSubjectIs40401() {
        assertThat(client.delete("/subjects/nobody-value").errorCode()).isEqualTo(40401);
    }

    @Test
    void deletingOneVersionReturnsItsNumberAndHidesOnlyIt() {
        // When
        Response response = client.delete("/subjects/orders-value/versions/1");

        // Then
        assertThat(response.body()).isEqualTo("1");
        assertThat(client.get("/subjects/orders-value/versions").body()).isEqualTo("[2]");
        assertThat(client.get("/subjects/orders-value/versions/1").errorCode()).isEqualTo(40402);
    }

    @Test
    void deletingTheLatestVersionDeletesTheHighestLiveOne() {
        // When
        Response response = client.delete("/subjects/orders-value/versions/latest");

        // Then
        assertThat(response.body()).isEqualTo("2");
        assertThat(client.get("/subjects/orders-value/versions/latest").json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aDeletedLatestVersionNoLongerConstrainsCompatibility() {
        // Given version 2 (a long amount) is deleted, so version 1 is the latest again
        client.delete("/subjects/orders-value/versions/2");

        // When a schema whose amount is a string, which only version 2 contradicts, is registered
        Response response = client.post("/subjects/orders-value/versions", schemaBody("""
                {"type":"record","name":"Order","namespace":"dev.fanout.test","fields":[
                  {"name":"id","type":"string"},
                  {"name":"amount","type":"string","default":""}]}"""));

        // Then
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void softDeletingASoftDeletedVersionIs40406() {
        // Given
        client.delete("/subjects/orders-value/versions/1");

        // When / Then
        assertThat(client.delete("/subjects/orders-value/versions/1").errorCode()).isEqualTo(40406);
    }

    @Test
    void aPermanentDeleteOfALiveVersionIs40407() {
        assertThat(client.delete("/subjects/orders-value/versions/1?permanent=true").errorCode()).isEqualTo(40407);
    }

    @Test
    void aPermanentDeleteOfASoftDeletedVersionRemovesIt() {
        // Given
        client.delete("/subjects/orders-value/versions/1");

        // When
        Response response = client.delete("/subjects/orders-value/versions/1?permanent=true");

        // Then
        assertThat(response.body()).isEqualTo("1");
        assertThat(client.get("/subjects/orders-value/versions?deleted=true").body()).isEqualTo("[2]");
    }

    @Test
    void deletingAnUnknownVersionIs40402() {
        assertThat(client.delete("/subjects/orders-value/versions/7").errorCode()).isEqualTo(40402);
    }

    @Test
    void deletingAnInvalidVersionIs42202() {
        assertThat(client.delete("/subjects/orders-value/versions/first").errorCode()).isEqualTo(42202);
    }
}
