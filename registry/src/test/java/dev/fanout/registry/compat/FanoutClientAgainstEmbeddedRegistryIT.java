package dev.fanout.registry.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.ParentRef;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.client.CompatibilityLevel;
import dev.fanout.registry.client.IncompatibleSchemaException;
import dev.fanout.registry.client.ReferenceExistsException;
import dev.fanout.registry.client.RegisteredSchema;
import dev.fanout.registry.client.RegistryClientSettings;
import dev.fanout.registry.client.RestSchemaRegistryClient;
import dev.fanout.registry.client.SchemaNotFoundException;
import dev.fanout.registry.client.SchemaReference;
import dev.fanout.registry.client.SubjectNotFoundException;
import dev.fanout.registry.client.VersionNotFoundException;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.serde.SpecificAvroDeserializer;
import dev.fanout.serde.SpecificAvroSerializer;
import dev.fanout.testkit.KafkaBrokerExtension;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fanout's own registry client and serde against the embedded registry on a real broker: the two halves
 * were written separately from Confluent's published API, so this is where they must agree.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FanoutClientAgainstEmbeddedRegistryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedSchemaRegistry registry;
    private static RestSchemaRegistryClient client;

    @BeforeAll
    static void startRegistry(EmbeddedKafkaBroker broker) {
        registry = EmbeddedSchemaRegistry.builder().bootstrapServers(broker.bootstrapServers()).port(0)
                .topic("_schemas-client-compat").build().start();
        client = new RestSchemaRegistryClient(RegistryClientSettings.builder(registry.url()).build());
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static Schema record(String name, String... fields) {
        SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record(name).namespace("compat").fields();
        for (String field : fields) {
            f = f.requiredString(field);
        }
        return f.endRecord();
    }

    @Test
    void registerLookupAndFetchAgree() {
        Schema v1 = record("Order", "id");
        int id = client.register("orders-value", v1);

        assertThat(client.register("orders-value", v1)).as("same schema, same id").isEqualTo(id);
        assertThat(client.getSchemaById(id)).isEqualTo(v1);
        assertThat(client.lookup("orders-value", v1).version()).isEqualTo(1);
        assertThat(client.getLatestVersion("orders-value").id()).isEqualTo(id);
        assertThat(client.getAllSubjects()).contains("orders-value");
        assertThat(client.getAllVersions("orders-value")).containsExactly(1);
    }

    @Test
    void schemasWithReferencesAreReadWithTheReferencedTypesResolved() throws Exception {
        // Given Customer registered alone, and Invoice using it by name (registered as Confluent clients do)
        String customer = "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"refs\","
                + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";
        String invoice = "{\"type\":\"record\",\"name\":\"Invoice\",\"namespace\":\"refs\","
                + "\"fields\":[{\"name\":\"customer\",\"type\":\"Customer\"}]}";
        client.register("refs-customer", new Schema.Parser().parse(customer));
        HttpResponse<String> registered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registry.url() + "/subjects/refs-invoices-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("schema", invoice)
                        .set("references", JSON.createArrayNode().add(JSON.createObjectNode()
                                .put("name", "refs.Customer").put("subject", "refs-customer").put("version", 1)))
                        .toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        int id = JSON.readTree(registered.body()).get("id").asInt();

        // When the client reads it, by id and by version
        Schema byId = client.getSchemaById(id);
        RegisteredSchema latest = client.getLatestVersion("refs-invoices-value");

        // Then the referenced type is resolved, and the references are reported
        assertThat(byId.getField("customer").schema().getField("name")).isNotNull();
        assertThat(latest.references()).containsExactly(new SchemaReference("refs.Customer", "refs-customer", 1));
        assertThat(latest.avroSchema()).isEqualTo(byId);
        // and the referenced version cannot be deleted while Invoice uses it
        assertThatThrownBy(() -> client.deleteVersion("refs-customer", 1))
                .isInstanceOf(ReferenceExistsException.class)
                .hasMessageContaining("refs-customer");
    }

    @Test
    void idsAreGlobalAcrossSubjects() {
        Schema shared = record("Shared", "x");
        int a = client.register("shared-a-value", shared);
        int b = client.register("shared-b-value", shared);

        assertThat(b).isEqualTo(a);
    }

    @Test
    void anIncompatibleSchemaIsRefusedWithTheTypedException() {
        client.register("strict-value", record("Strict", "a"));
        Schema breaking = record("Strict", "a", "b"); // new required field without default: not BACKWARD

        assertThat(client.testCompatibilityWithLatest("strict-value", breaking).compatible()).isFalse();
        assertThatThrownBy(() -> client.register("strict-value", breaking))
                .isInstanceOf(IncompatibleSchemaException.class);
    }

    @Test
    void compatibilityLevelsRoundTrip() {
        client.register("levels-value", record("Levels", "a"));
        client.setCompatibility("levels-value", CompatibilityLevel.FULL_TRANSITIVE);

        assertThat(client.getCompatibility("levels-value", false)).contains(CompatibilityLevel.FULL_TRANSITIVE);
    }

    @Test
    void unknownThingsMapToTheirExceptions() {
        assertThatThrownBy(() -> client.getLatestVersion("never-value")).isInstanceOf(SubjectNotFoundException.class);
        client.register("one-version-value", record("One", "a"));
        assertThatThrownBy(() -> client.getVersion("one-version-value", 7)).isInstanceOf(VersionNotFoundException.class);
        assertThatThrownBy(() -> client.getSchemaById(987_654)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void softDeleteHidesTheSubject() {
        client.register("gone-value", record("Gone", "a"));

        assertThat(client.deleteSubject("gone-value")).containsExactly(1);
        assertThat(client.getAllSubjects()).doesNotContain("gone-value");
    }

    @Test
    void theSerdeRoundTripsThroughTheRegistry() {
        Map<String, Object> config = Map.of("schema.registry.url", registry.url());
        ArtifactEvent event = ArtifactEvent.newBuilder().setEventId("e-1").setArtifact("lib:release")
                .setEventType("published").setSchemaVersion("1.0.0").setPayload("{}")
                .setProducedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setSourceRepo("lib")
                .setParent(new ParentRef("t", "r")).build();
        try (SpecificAvroSerializer<ArtifactEvent> serializer = new SpecificAvroSerializer<>();
             SpecificAvroDeserializer<ArtifactEvent> deserializer = new SpecificAvroDeserializer<>(ArtifactEvent.class)) {
            serializer.configure(config, false);
            deserializer.configure(config, false);

            byte[] bytes = serializer.serialize("compat-events", event);

            assertThat(bytes[0]).as("magic byte").isZero();
            int id = java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt();
            assertThat(client.getLatestVersion("compat-events-value").id()).isEqualTo(id);
            assertThat(deserializer.deserialize("compat-events", bytes)).isEqualTo(event);
        }
    }

    @Test
    void bytesNamingAnUnknownIdAreASerializationError() {
        byte[] bytes = {0, 0, 0x0f, 0x42, 0x40, 2, 'x'}; // id 1,000,000
        try (SpecificAvroDeserializer<ArtifactEvent> deserializer = new SpecificAvroDeserializer<>(ArtifactEvent.class)) {
            deserializer.configure(Map.of("schema.registry.url", registry.url()), false);

            assertThatThrownBy(() -> deserializer.deserialize("compat-events", bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("1000000");
        }
    }
}
