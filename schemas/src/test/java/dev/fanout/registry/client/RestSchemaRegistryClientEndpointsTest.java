package dev.fanout.registry.client;

import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.error;
import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.registry.client.ScriptedRegistryServer.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each API call: the request the client sends and how it reads the registry's answer. */
class RestSchemaRegistryClientEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT = "fanout.triggers-value";
    private static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Obj\",\"namespace\":\"test\",\"fields\":[{\"name\":\"age\",\"type\":\"int\"}]}");
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, "
            + "application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private final ScriptedRegistryServer server = ScriptedRegistryServer.start();
    private final RestSchemaRegistryClient client =
            new RestSchemaRegistryClient(RegistryClientSettings.builder(server.url()).maxRetries(0).build());

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void registerPostsTheSchemaToTheSubjectsVersionsAndReturnsItsId() throws Exception {
        // Given a registry that assigns id 42
        server.on("POST", "/subjects/" + SUBJECT + "/versions", ok("{\"id\":42}"));

        // When a schema is registered
        int id = client.register(SUBJECT, SCHEMA);

        // Then the id comes back, from a request shaped as Confluent's client shapes it
        assertThat(id).isEqualTo(42);
        RecordedRequest request = server.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isNull();
        assertThat(request.header("Content-Type")).isEqualTo(CONTENT_TYPE);
        assertThat(request.header("Accept")).isEqualTo(ACCEPT);
        assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
    }

    @Test
    void registerWithNormalizeAsksTheRegistryToNormalize() {
        // Given a registry
        server.on("POST", "/subjects/" + SUBJECT + "/versions", ok("{\"id\":3}"));

        // When a schema is registered with normalization
        client.register(SUBJECT, SCHEMA, true);

        // Then the request says so
        assertThat(server.onlyRequest().query()).isEqualTo("normalize=true");
    }

    @Test
    void lookupPostsToTheSubjectAndReturnsTheVersionThatHoldsTheSchema() throws Exception {
        // Given a subject whose version 2 holds the schema
        server.on("POST", "/subjects/" + SUBJECT, ok(registeredJson(SUBJECT, 2, 11)));

        // When the schema is looked up
        RegisteredSchema found = client.lookup(SUBJECT, SCHEMA);

        // Then the version, id and schema come back
        assertThat(found).isEqualTo(new RegisteredSchema(SUBJECT, 2, 11, SCHEMA.toString()));
        RecordedRequest request = server.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo(CONTENT_TYPE);
        assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
    }

    @Test
    void getSchemaByIdReturnsTheParsedSchema() throws Exception {
        // Given schema id 7
        server.on("GET", "/schemas/ids/7", ok(JSON.writeValueAsString(Map.of("schema", SCHEMA.toString()))));

        // When it is fetched
        Schema schema = client.getSchemaById(7);

        // Then it is the schema, from a GET with Confluent's Accept header
        assertThat(schema).isEqualTo(SCHEMA);
        RecordedRequest request = server.onlyRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.header("Accept")).isEqualTo(ACCEPT);
    }

    @Test
    void getSchemaByIdRefusesASchemaThatIsNotAvro() throws Exception {
        // Given schema id 8 is a Protobuf schema
        server.on("GET", "/schemas/ids/8", ok(JSON.writeValueAsString(
                Map.of("schemaType", "PROTOBUF", "schema", "syntax = \"proto3\"; message Obj { int32 age = 1; }"))));

        // When it is fetched, then the client says it reads Avro only
        assertThatThrownBy(() -> client.getSchemaById(8))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("schema id 8 is a PROTOBUF schema");
    }

    @Test
    void getAllSubjectsListsTheSubjects() {
        // Given two subjects
        server.on("GET", "/subjects", ok("[\"fanout.triggers-value\",\"fanout.run-status-value\"]"));

        // When they are listed, then both come back in order
        assertThat(client.getAllSubjects()).containsExactly("fanout.triggers-value", "fanout.run-status-value");
    }

    @Test
    void getAllVersionsListsTheSubjectsVersionNumbers() {
        // Given a subject with three versions
        server.on("GET", "/subjects/" + SUBJECT + "/versions", ok("[1,2,3]"));

        // When they are listed, then the numbers come back
        assertThat(client.getAllVersions(SUBJECT)).containsExactly(1, 2, 3);
    }

    @Test
    void getVersionFetchesOneVersionAndIgnoresFieldsItDoesNotKnow() throws Exception {
        // Given version 2, answered with extra fields as newer registries add them
        server.on("GET", "/subjects/" + SUBJECT + "/versions/2", ok(JSON.writeValueAsString(Map.of(
                "subject", SUBJECT, "version", 2, "id", 11, "schema", SCHEMA.toString(), "references", List.of()))));

        // When it is fetched, then subject, version, id and schema come back
        assertThat(client.getVersion(SUBJECT, 2)).isEqualTo(new RegisteredSchema(SUBJECT, 2, 11, SCHEMA.toString()));
    }

    @Test
    void getLatestVersionAsksForTheVersionNamedLatest() throws Exception {
        // Given a subject whose latest version is 5
        server.on("GET", "/subjects/" + SUBJECT + "/versions/latest", ok(registeredJson(SUBJECT, 5, 20)));

        // When the latest is fetched, then version 5 comes back
        RegisteredSchema latest = client.getLatestVersion(SUBJECT);

        assertThat(latest.version()).isEqualTo(5);
        assertThat(latest.avroSchema()).isEqualTo(SCHEMA);
    }

    @Test
    void deleteSubjectSoftDeletesAndReturnsTheVersionsItHad() {
        // Given a subject with versions 1 and 2
        server.on("DELETE", "/subjects/" + SUBJECT, ok("[1,2]"));

        // When it is deleted
        List<Integer> deleted = client.deleteSubject(SUBJECT);

        // Then its versions come back, and the delete was soft (no permanent=true)
        assertThat(deleted).containsExactly(1, 2);
        assertThat(server.onlyRequest().query()).isNull();
    }

    @Test
    void deleteVersionSoftDeletesOneVersionAndReturnsIt() {
        // Given version 2 of a subject
        server.on("DELETE", "/subjects/" + SUBJECT + "/versions/2", ok("2"));

        // When it is deleted, then its number comes back, soft-deleted
        assertThat(client.deleteVersion(SUBJECT, 2)).isEqualTo(2);
        assertThat(server.onlyRequest().query()).isNull();
    }

    @Test
    void testCompatibilityAsksVerboselyAndSurfacesTheRegistrysMessages() throws Exception {
        // Given a registry that finds the schema incompatible with version 3
        server.on("POST", "/compatibility/subjects/" + SUBJECT + "/versions/3", ok(
                "{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING_DEFAULT_VALUE at /fields/0: age\"]}"));

        // When compatibility is tested
        CompatibilityResult result = client.testCompatibility(SUBJECT, 3, SCHEMA);

        // Then the verdict and its reasons come back
        assertThat(result.compatible()).isFalse();
        assertThat(result.messages()).containsExactly("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/0: age");
        RecordedRequest request = server.onlyRequest();
        assertThat(request.query()).isEqualTo("verbose=true");
        assertThat(request.header("Content-Type")).isEqualTo(CONTENT_TYPE);
        assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
    }

    @Test
    void testCompatibilityWithLatestTestsAgainstTheVersionNamedLatest() {
        // Given a registry that finds the schema compatible with the latest version, without messages
        server.on("POST", "/compatibility/subjects/" + SUBJECT + "/versions/latest", ok("{\"is_compatible\":true}"));

        // When compatibility with the latest is tested
        CompatibilityResult result = client.testCompatibilityWithLatest(SUBJECT, SCHEMA);

        // Then it is compatible, with no messages
        assertThat(result).isEqualTo(new CompatibilityResult(true, List.of()));
    }

    @Test
    void getCompatibilityReadsTheGlobalLevel() {
        // Given a global level of FULL
        server.on("GET", "/config", ok("{\"compatibilityLevel\":\"FULL\"}"));

        // When it is read, then FULL comes back
        assertThat(client.getCompatibility()).isEqualTo(CompatibilityLevel.FULL);
    }

    @Test
    void setCompatibilityPutsTheGlobalLevel() throws Exception {
        // Given a registry that echoes the new level
        server.on("PUT", "/config", ok("{\"compatibility\":\"FORWARD_TRANSITIVE\"}"));

        // When the global level is set
        CompatibilityLevel level = client.setCompatibility(CompatibilityLevel.FORWARD_TRANSITIVE);

        // Then the request carries it and the answer confirms it
        assertThat(level).isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
        RecordedRequest request = server.onlyRequest();
        assertThat(request.header("Content-Type")).isEqualTo(CONTENT_TYPE);
        assertThat(JSON.readTree(request.body()).get("compatibility").asText()).isEqualTo("FORWARD_TRANSITIVE");
    }

    @Test
    void getCompatibilityOfASubjectCanFallBackToTheGlobalLevel() {
        // Given a subject that answers with the global level when asked to default to it
        server.on("GET", "/config/" + SUBJECT, ok("{\"compatibilityLevel\":\"BACKWARD\"}"));

        // When its level is read with defaultToGlobal
        var level = client.getCompatibility(SUBJECT, true);

        // Then the level comes back and the request asked for the fallback
        assertThat(level).contains(CompatibilityLevel.BACKWARD);
        assertThat(server.onlyRequest().query()).isEqualTo("defaultToGlobal=true");
    }

    @Test
    void aSubjectWithoutALevelOfItsOwnAnswersEmpty() {
        // Given a subject without its own level (Confluent answers 40408)
        server.on("GET", "/config/" + SUBJECT,
                error(404, 40408, "Subject 'fanout.triggers-value' does not have subject-level compatibility configured"));

        // When its own level is read, then there is none
        assertThat(client.getCompatibility(SUBJECT, false)).isEmpty();
        assertThat(server.onlyRequest().query()).isEqualTo("defaultToGlobal=false");
    }

    @Test
    void setCompatibilityOfASubjectPutsItsLevel() throws Exception {
        // Given a registry that echoes the new level
        server.on("PUT", "/config/" + SUBJECT, ok("{\"compatibility\":\"NONE\"}"));

        // When the subject's level is set
        CompatibilityLevel level = client.setCompatibility(SUBJECT, CompatibilityLevel.NONE);

        // Then the request carries it and the answer confirms it
        assertThat(level).isEqualTo(CompatibilityLevel.NONE);
        assertThat(JSON.readTree(server.onlyRequest().body()).get("compatibility").asText()).isEqualTo("NONE");
    }

    @Test
    void aSubjectIsUrlEncodedAsOnePathSegment() {
        // Given a subject with a space, a slash and a plus
        server.on("GET", "/subjects/team%20a%2Forders%2Bv1/versions", ok("[1]"));

        // When its versions are listed
        List<Integer> versions = client.getAllVersions("team a/orders+v1");

        // Then the subject stayed one path segment
        assertThat(versions).containsExactly(1);
        assertThat(server.onlyRequest().path()).isEqualTo("/subjects/team%20a%2Forders%2Bv1/versions");
    }

    private static String registeredJson(String subject, int version, int id) throws Exception {
        return JSON.writeValueAsString(Map.of("subject", subject, "version", version, "id", id, "schema", SCHEMA.toString()));
    }
}
