package dev.fanout.registry.server;

import static dev.fanout.registry.server.RegistryClient.schemaBody;
import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_DEFAULT;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_REQUIRED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.registry.server.RegistryClient.Response;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry on a real broker, driven through Confluent's REST API. */
@ExtendWith(KafkaBrokerExtension.class)
class EmbeddedSchemaRegistryIT {

    private static final String TOPIC = "_schemas-" + EmbeddedSchemaRegistryIT.class.getSimpleName();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedSchemaRegistry registry;
    private static RegistryClient client;

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KafkaBrokerExtension.bootstrapServers())
                .port(0)
                .topic(TOPIC)
                .build()
                .start();
        client = new RegistryClient(registry.url());
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void theUrlNamesTheLoopbackAddressAndTheBoundPort() {
        assertThat(registry.url()).matches("http://127\\.0\\.0\\.1:\\d+").doesNotEndWith(":0");
    }

    @Test
    void aRegisteredSchemaIsReadBackByIdAndByVersion() {
        // When
        int id = client.register("read-back-value", ORDER_V1);

        // Then
        String byId = client.get("/schemas/ids/" + id).json().get("schema").asText();
        JsonNode byVersion = client.get("/subjects/read-back-value/versions/latest").json();
        assertThat(byVersion.get("id").asInt()).isEqualTo(id);
        assertThat(byVersion.get("version").asInt()).isEqualTo(1);
        assertThat(byVersion.get("schema").asText()).isEqualTo(byId).contains("\"Order\"");
    }

    @Test
    void aLookupFindsTheVersionHoldingTheSchema() {
        // Given
        client.register("lookup-value", ORDER_V1);
        int id = client.register("lookup-value", ORDER_WITH_AMOUNT_DEFAULT);

        // When
        Response response = client.post("/subjects/lookup-value", schemaBody(ORDER_WITH_AMOUNT_DEFAULT));

        // Then
        assertThat(response.json().get("version").asInt()).isEqualTo(2);
        assertThat(response.json().get("id").asInt()).isEqualTo(id);
    }

    @Test
    void subjectsAndTheirVersionsAreListed() {
        // Given
        client.register("listed-value", ORDER_V1);
        client.register("listed-value", ORDER_WITH_AMOUNT_DEFAULT);

        // When / Then
        assertThat(client.get("/subjects").json()).extracting(JsonNode::asText).contains("listed-value");
        assertThat(client.get("/subjects/listed-value/versions").body()).isEqualTo("[1,2]");
    }

    @Test
    void aSubjectIsSoftDeletedThenPermanentlyDeleted() {
        // Given
        client.register("deleted-value", ORDER_V1);

        // When
        Response soft = client.delete("/subjects/deleted-value");
        Response permanent = client.delete("/subjects/deleted-value?permanent=true");

        // Then
        assertThat(soft.body()).isEqualTo("[1]");
        assertThat(permanent.body()).isEqualTo("[1]");
        assertThat(client.get("/subjects?deleted=true").json()).extracting(JsonNode::asText)
                .doesNotContain("deleted-value");
    }

    @Test
    void anIncompatibleSchemaIsRefusedAndReportedIncompatible() {
        // Given
        client.register("incompatible-value", ORDER_V1);

        // When
        Response check = client.post("/compatibility/subjects/incompatible-value/versions/latest?verbose=true",
                schemaBody(ORDER_WITH_AMOUNT_REQUIRED));
        Response register = client.post("/subjects/incompatible-value/versions", schemaBody(ORDER_WITH_AMOUNT_REQUIRED));

        // Then
        assertThat(check.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(check.json().get("messages")).isNotEmpty();
        assertThat(register.status()).isEqualTo(409);
        assertThat(register.errorCode()).isEqualTo(409);
    }

    @Test
    void aSubjectsCompatibilityLevelIsStored() {
        // When
        client.put("/config/configured-value", "{\"compatibility\":\"FULL\"}");

        // Then
        assertThat(client.get("/config/configured-value").body()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
    }

    @Test
    void theTopicIsCompactedWithOnePartition() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBrokerExtension.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            String policy = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get("cleanup.policy").value();

            assertThat(description.partitions()).hasSize(1);
            assertThat(policy).isEqualTo("compact");
        }
    }

    @Test
    void theTopicHoldsRecordsInConfluentsShapes() throws Exception {
        // Given
        int id = client.register("shapes-value", ORDER_V1);
        client.put("/config/shapes-value", "{\"compatibility\":\"NONE\"}");

        // When the topic is read as any Kafka client would
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer()) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                assertThat(keys(records)).contains(
                        "{\"keytype\":\"SCHEMA\",\"subject\":\"shapes-value\",\"version\":1,\"magic\":1}",
                        "{\"keytype\":\"CONFIG\",\"subject\":\"shapes-value\",\"magic\":0}",
                        "{\"keytype\":\"NOOP\",\"magic\":0}");
            });
        }

        // Then the schema's value is Confluent's SchemaValue
        JsonNode value = valueOf(records, "{\"keytype\":\"SCHEMA\",\"subject\":\"shapes-value\",\"version\":1,\"magic\":1}");
        assertThat(value.fieldNames()).toIterable()
                .containsExactly("subject", "version", "id", "schemaType", "schema", "deleted");
        assertThat(value.get("id").asInt()).isEqualTo(id);
        assertThat(value.get("schemaType").asText()).isEqualTo("AVRO");
        assertThat(value.get("deleted").asBoolean()).isFalse();
        assertThat(valueOf(records, "{\"keytype\":\"CONFIG\",\"subject\":\"shapes-value\",\"magic\":0}").toString())
                .isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    }

    private static KafkaConsumer<byte[], byte[]> rawConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.key(), UTF_8)).toList();
    }

    private static JsonNode valueOf(List<ConsumerRecord<byte[], byte[]>> records, String key) throws Exception {
        ConsumerRecord<byte[], byte[]> record = records.stream()
                .filter(r -> new String(r.key(), UTF_8).equals(key)).reduce((first, last) -> last).orElseThrow();
        return JSON.readTree(record.value());
    }
}
