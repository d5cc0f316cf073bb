package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.registry.server.RegistryClient.Response;
import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input gets Confluent's status, error code and error body. */
class ErrorResponsesTest {

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;

    @BeforeEach
    void aRegisteredSubject() {
        client.register("orders-value", ORDER_V1);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // what is wrong, method, path, body, HTTP status, error code
                bad("a schema that is not JSON", "POST", "/subjects/orders-value/versions",
                        schemaBody("not a schema"), 422, 42201),
                bad("a JSON schema that is not Avro", "POST", "/subjects/orders-value/versions",
                        schemaBody("{\"type\":\"record\",\"name\":\"X\"}"), 422, 42201),
                bad("an unknown Avro type", "POST", "/subjects/orders-value/versions",
                        schemaBody("{\"type\":\"decimal128\"}"), 422, 42201),
                bad("a default of the wrong type", "POST", "/subjects/orders-value/versions",
                        schemaBody("{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"int\","
                                + "\"default\":\"zero\"}]}"), 422, 42201),
                bad("a JSON Schema", "POST", "/subjects/orders-value/versions",
                        "{\"schemaType\":\"JSON\",\"schema\":\"{\\\"type\\\":\\\"object\\\"}\"}", 422, 42201),
                bad("a Protobuf schema", "POST", "/subjects/orders-value/versions",
                        "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}", 422, 42201),
                bad("schema references", "POST", "/subjects/orders-value/versions",
                        "{\"schema\":\"\\\"string\\\"\",\"references\":[{\"name\":\"x\",\"subject\":\"y\","
                                + "\"version\":1}]}", 422, 42201),
                bad("no schema field", "POST", "/subjects/orders-value/versions", "{\"schemaType\":\"AVRO\"}",
                        422, 42201),
                bad("a body that is not JSON", "POST", "/subjects/orders-value/versions", "{\"schema\": ", 422, 422),
                bad("a body that is a JSON array", "POST", "/subjects/orders-value/versions", "[]", 422, 422),
                bad("a schema given as a JSON object", "POST", "/subjects/orders-value/versions",
                        "{\"schema\":{\"type\":\"string\"}}", 422, 422),
                bad("references that are not a list", "POST", "/subjects/orders-value/versions",
                        "{\"schema\":\"\\\"string\\\"\",\"references\":\"none\"}", 422, 422),
                bad("an empty body", "POST", "/subjects/orders-value/versions", "", 422, 422),
                bad("a lookup body that is not JSON", "POST", "/subjects/orders-value", "schema", 422, 422),
                bad("a config body that is not JSON", "PUT", "/config", "compatibility=NONE", 422, 422),
                bad("an unknown compatibility level", "PUT", "/config/orders-value",
                        "{\"compatibility\":\"STRICT\"}", 422, 42203),
                bad("an invalid version", "GET", "/subjects/orders-value/versions/v1", null, 422, 42202),
                bad("an unknown subject", "GET", "/subjects/nobody/versions/1", null, 404, 40401),
                bad("an unknown version", "GET", "/subjects/orders-value/versions/2", null, 404, 40402),
                bad("an unknown id", "GET", "/schemas/ids/404", null, 404, 40403),
                bad("an unknown path", "GET", "/subjectz", null, 404, 404),
                bad("a path deeper than any endpoint", "GET", "/subjects/orders-value/versions/1/schema/x", null,
                        404, 404),
                bad("a method the path does not take", "PUT", "/subjects/orders-value/versions", schemaBody(ORDER_V1),
                        405, 405),
                bad("deleting the subject list", "DELETE", "/subjects", null, 405, 405));
    }

    private static Arguments bad(String what, String method, String path, String body, int status, int errorCode) {
        return Arguments.of(what, method, path, body, status, errorCode);
    }

    @ParameterizedTest(name = "{0}: {4} with error code {5}")
    @MethodSource("badRequests")
    void aBadRequestGetsConfluentsStatusAndErrorCode(String what, String method, String path, String body,
            int status, int errorCode) {
        // When
        Response response = client.send(method, path, body, RegistryClient.V1_JSON);

        // Then
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo(RegistryClient.V1_JSON);
        assertThat(response.json().fieldNames()).toIterable().containsExactly("error_code", "message");
        assertThat(response.errorCode()).isEqualTo(errorCode);
        assertThat(response.message()).isNotBlank();
    }

    @Test
    void aNonAvroTypeIsRefusedWithAMessageSayingSo() {
        Response response = client.post("/subjects/orders-value/versions",
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");

        assertThat(response.message()).contains("PROTOBUF", "not supported", "AVRO");
    }

    @Test
    void aReferenceToAVersionThatIsNotRegisteredNamesItAndTheFix() {
        Response response = client.post("/subjects/orders-value/versions",
                "{\"schema\":\"\\\"string\\\"\",\"references\":[{\"name\":\"x\",\"subject\":\"y\",\"version\":1}]}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.errorCode()).isEqualTo(42201);
        assertThat(response.message()).contains("subject 'y' version 1, which is not registered", "register that version first");
    }

    @Test
    void aMalformedReferenceIsRefusedWithItsShape() {
        Response response = client.post("/subjects/orders-value/versions",
                "{\"schema\":\"\\\"string\\\"\",\"references\":[{\"name\":\"x\",\"subject\":\"y\"}]}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.errorCode()).isEqualTo(422);
        assertThat(response.message()).contains("\"name\"", "\"subject\"", "\"version\" (from 1)");
    }

    @Test
    void anInvalidSchemaMessageNamesTheSubjectAndAvrosComplaint() {
        Response response = client.post("/subjects/orders-value/versions", schemaBody("{\"type\":\"record\"}"));

        assertThat(response.message()).contains("'orders-value'", "No name in schema");
    }

    @Test
    void aRequestBodyOfAnUnsupportedTypeIs415() {
        Response response = client.send("POST", "/subjects/orders-value/versions", schemaBody(ORDER_V1), "text/plain");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.errorCode()).isEqualTo(415);
    }

    @Test
    void aRequestBodyWithoutContentTypeIsTakenAsConfluentDoes() {
        Response response = client.send("POST", "/subjects/orders-value", schemaBody(ORDER_V1), null);

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void aClientAcceptingPlainJsonGetsPlainJson() {
        Response response = client.send(HttpRequest.newBuilder(client.uri("/subjects"))
                .header("Accept", "application/json").GET().build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
    }

    @Test
    void aClientAcceptingNoJsonTypeGets406() {
        Response response = client.send(HttpRequest.newBuilder(client.uri("/subjects"))
                .header("Accept", "text/html").GET().build());

        assertThat(response.status()).isEqualTo(406);
        assertThat(response.errorCode()).isEqualTo(406);
    }

    @Test
    void aStoreThatCannotWriteGives50001() {
        // Given
        registry.store.failWrites("the Kafka cluster is unreachable");

        // When
        Response response = client.post("/subjects/orders-value/versions",
                schemaBody(TestSchemas.ORDER_WITH_AMOUNT_DEFAULT));

        // Then
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.errorCode()).isEqualTo(50001);
        assertThat(response.message()).contains("unreachable");
    }

    @Test
    void readsStillWorkWhileTheStoreCannotWrite() {
        // Given
        registry.store.failWrites("the Kafka cluster is unreachable");

        // When / Then
        assertThat(client.get("/subjects/orders-value/versions/1").status()).isEqualTo(200);
    }
}
