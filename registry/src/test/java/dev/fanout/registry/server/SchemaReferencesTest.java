package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fanout.registry.server.RegistryClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schema references as Confluent's API has them: Fanout's own split sources (ArtifactEvent uses ParentRef
 * and FanOutOptions by name) registered the Confluent way, each type under its own subject.
 */
class SchemaReferencesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SOURCES = Path.of("..", "schemas", "src", "main", "avro", "dev", "fanout", "avro");
    private static final String EVENTS = "artifact-events-value";

    @AutoClose
    final InMemoryRegistryServer registry = new InMemoryRegistryServer();
    final RegistryClient client = registry.client;

    int parentRefId;
    int fanOutOptionsId;

    @BeforeEach
    void registerTheReferencedTypes() {
        parentRefId = client.register("parent-ref", source("ParentRef"));
        fanOutOptionsId = client.register("fan-out-options", source("FanOutOptions"));
    }

    @Test
    void aSchemaThatUsesRegisteredTypesByNameRegistersWithItsReferences() {
        // When
        Response response = client.post("/subjects/" + EVENTS + "/versions", artifactEventBody());

        // Then
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("id").asInt()).isGreaterThan(fanOutOptionsId);
    }

    @Test
    void theSchemaByIdComesWithItsReferencesAndKeepsTheReferencedTypesAsNames() {
        int id = registerArtifactEvent();

        Response response = client.get("/schemas/ids/" + id);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("references")).isEqualTo(references());
        String schema = response.json().get("schema").asText();
        assertThat(schema).contains("[\"null\",\"ParentRef\"]").doesNotContain("\"run_id\"");
    }

    @Test
    void theVersionEndpointsAnswerWithTheReferencesBeforeTheSchema() {
        registerArtifactEvent();

        Response version = client.get("/subjects/" + EVENTS + "/versions/1");
        Response latest = client.get("/subjects/" + EVENTS + "/versions/latest");

        assertThat(version.json().get("references")).isEqualTo(references());
        assertThat(latest.body()).isEqualTo(version.body());
        assertThat(List.copyOf(iterable(version.json().fieldNames())))
                .containsExactly("subject", "version", "id", "references", "schema");
    }

    @Test
    void aVersionWithoutReferencesAnswersWithoutTheField() {
        assertThat(client.get("/subjects/parent-ref/versions/1").json().has("references")).isFalse();
        assertThat(client.get("/schemas/ids/" + parentRefId).json().has("references")).isFalse();
    }

    @Test
    void registeringTheSameSchemaWithTheSameReferencesAgainMakesNoNewVersion() {
        int id = registerArtifactEvent();

        int again = registerArtifactEvent();

        assertThat(again).isEqualTo(id);
        assertThat(client.get("/subjects/" + EVENTS + "/versions").body()).isEqualTo("[1]");
    }

    @Test
    void theLookupFindsTheSchemaWithItsReferences() {
        int id = registerArtifactEvent();

        Response found = client.post("/subjects/" + EVENTS, artifactEventBody());

        assertThat(found.status()).as(found.body()).isEqualTo(200);
        assertThat(found.json().get("id").asInt()).isEqualTo(id);
        assertThat(found.json().get("version").asInt()).isEqualTo(1);
        assertThat(found.json().get("references")).isEqualTo(references());
    }

    @Test
    void withoutItsReferencesTheSchemaDoesNotParseAndTheMessageSaysWhichNameIsMissing() {
        Response response = client.post("/subjects/" + EVENTS + "/versions", schemaBody(source("ArtifactEvent")));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.errorCode()).isEqualTo(42201);
        assertThat(response.message()).contains("'" + EVENTS + "'");
    }

    @Test
    void referencedByListsTheIdsOfTheSchemasThatUseAVersion() {
        int id = registerArtifactEvent();

        assertThat(client.get("/subjects/parent-ref/versions/1/referencedby").body()).isEqualTo("[" + id + "]");
        assertThat(client.get("/subjects/fan-out-options/versions/latest/referencedby").body()).isEqualTo("[" + id + "]");
        assertThat(client.get("/subjects/" + EVENTS + "/versions/1/referencedby").body()).isEqualTo("[]");
    }

    @Test
    void referencedByOfAnUnknownSubjectOrVersionAnswersAsTheVersionEndpointDoes() {
        assertThat(client.get("/subjects/nothing/versions/1/referencedby").errorCode()).isEqualTo(40401);
        assertThat(client.get("/subjects/parent-ref/versions/7/referencedby").errorCode()).isEqualTo(40402);
    }

    @Test
    void aReferencedVersionCannotBeDeletedWhileASchemaUsesIt() {
        int id = registerArtifactEvent();

        Response version = client.delete("/subjects/parent-ref/versions/1");
        Response subject = client.delete("/subjects/parent-ref");

        assertThat(version.status()).isEqualTo(422);
        assertThat(version.errorCode()).isEqualTo(42206);
        assertThat(version.message()).contains("parent-ref", "[" + id + "]", "referencedby");
        assertThat(subject.errorCode()).isEqualTo(42206);
        assertThat(client.get("/subjects/parent-ref/versions").body()).isEqualTo("[1]");
    }

    @Test
    void onceTheSchemasUsingItAreDeletedAReferencedVersionCanBe() {
        registerArtifactEvent();
        assertThat(client.delete("/subjects/" + EVENTS).status()).isEqualTo(200);

        Response version = client.delete("/subjects/parent-ref/versions/1");

        assertThat(version.status()).as(version.body()).isEqualTo(200);
    }

    @Test
    void aNewVersionOfASchemaWithReferencesIsCheckedAgainstTheOldOneParsedWithItsReferences() {
        registerArtifactEvent();

        Response compatible = client.post("/compatibility/subjects/" + EVENTS + "/versions/latest?verbose=true",
                body(source("ArtifactEvent").replace("\"fields\": [", "\"fields\": [\n    {\"name\": \"extra\", "
                        + "\"type\": [\"null\", \"string\"], \"default\": null},")));
        Response incompatible = client.post("/compatibility/subjects/" + EVENTS + "/versions/latest?verbose=true",
                body(source("ArtifactEvent").replace("\"fields\": [", "\"fields\": [\n    {\"name\": \"required\", "
                        + "\"type\": \"string\"},")));

        assertThat(compatible.json().get("is_compatible").asBoolean()).as(compatible.body()).isTrue();
        assertThat(incompatible.json().get("is_compatible").asBoolean()).as(incompatible.body()).isFalse();
    }

    @Test
    void theStoredSchemaParsesWithTheReferencedTypesIntoTheSameSchemaAsTheSources() {
        int id = registerArtifactEvent();
        String stored = client.get("/schemas/ids/" + id).json().get("schema").asText();

        Schema.Parser withReferences = new Schema.Parser();
        withReferences.parse(client.get("/subjects/parent-ref/versions/1/schema").body());
        withReferences.parse(client.get("/subjects/fan-out-options/versions/1/schema").body());
        Schema.Parser fromSources = new Schema.Parser();
        fromSources.parse(source("ParentRef"));
        fromSources.parse(source("FanOutOptions"));

        assertThat(withReferences.parse(stored)).isEqualTo(fromSources.parse(source("ArtifactEvent")));
    }

    private int registerArtifactEvent() {
        Response response = client.post("/subjects/" + EVENTS + "/versions", artifactEventBody());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("id").asInt();
    }

    private static String artifactEventBody() {
        return body(source("ArtifactEvent"));
    }

    private static String body(String schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema);
        body.set("references", references());
        return body.toString();
    }

    private static ArrayNode references() {
        ArrayNode references = JSON.createArrayNode();
        references.addObject().put("name", "dev.fanout.avro.ParentRef").put("subject", "parent-ref").put("version", 1);
        references.addObject().put("name", "dev.fanout.avro.FanOutOptions").put("subject", "fan-out-options")
                .put("version", 1);
        return references;
    }

    private static String source(String name) {
        try {
            return Files.readString(SOURCES.resolve(name + ".avsc"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> iterable(Iterator<T> iterator) {
        List<T> items = new ArrayList<>();
        iterator.forEachRemaining(items::add);
        return items;
    }
}
