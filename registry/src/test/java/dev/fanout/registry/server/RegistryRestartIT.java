package dev.fanout.registry.server;

import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A registry that starts again on the same topic knows everything the previous one wrote. */
@ExtendWith(KafkaBrokerExtension.class)
class RegistryRestartIT {

    private static final String TOPIC = "_schemas-" + RegistryRestartIT.class.getSimpleName();

    private static int ordersV1Id;
    private static int ordersV2Id;
    private static int paymentsId;

    @BeforeAll
    static void aPreviousRegistryWroteSchemasConfigsAndDeletes() {
        try (EmbeddedSchemaRegistry previous = start()) {
            RegistryClient client = new RegistryClient(previous.url());
            ordersV1Id = client.register("orders-value", ORDER_V1);
            ordersV2Id = client.register("orders-value", ORDER_WITH_AMOUNT_DEFAULT);
            paymentsId = client.register("payments-value", TestSchemas.record("Payment"));
            client.register("gone-value", TestSchemas.record("Gone"));
            client.delete("/subjects/gone-value");
            client.put("/config", "{\"compatibility\":\"FULL\"}");
            client.put("/config/orders-value", "{\"compatibility\":\"NONE\"}");
        }
    }

    private static EmbeddedSchemaRegistry start() {
        return EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KafkaBrokerExtension.bootstrapServers())
                .port(0)
                .topic(TOPIC)
                .build()
                .start();
    }

    @Test
    void idsResolveToTheSameSchemas() {
        try (EmbeddedSchemaRegistry restarted = start()) {
            RegistryClient client = new RegistryClient(restarted.url());

            assertThat(client.get("/schemas/ids/" + ordersV1Id).json().get("schema").asText()).contains("\"id\"")
                    .doesNotContain("amount");
            assertThat(client.get("/schemas/ids/" + ordersV2Id).json().get("schema").asText()).contains("amount");
            assertThat(client.get("/schemas/ids/" + paymentsId).json().get("schema").asText()).contains("Payment");
        }
    }

    @Test
    void subjectsKeepTheirVersions() {
        try (EmbeddedSchemaRegistry restarted = start()) {
            RegistryClient client = new RegistryClient(restarted.url());

            assertThat(client.get("/subjects").json()).extracting(JsonNode::asText)
                    .contains("orders-value", "payments-value").doesNotContain("gone-value");
            assertThat(client.get("/subjects/orders-value/versions").body()).isEqualTo("[1,2]");
            assertThat(client.get("/subjects/gone-value/versions?deleted=true").body()).isEqualTo("[1]");
        }
    }

    @Test
    void compatibilityLevelsSurvive() {
        try (EmbeddedSchemaRegistry restarted = start()) {
            RegistryClient client = new RegistryClient(restarted.url());

            assertThat(client.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
            assertThat(client.get("/config/orders-value").body()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
        }
    }

    @Test
    void registeringAgainFindsTheExistingIdAndANewSchemaGetsAFreshOne() {
        try (EmbeddedSchemaRegistry restarted = start()) {
            RegistryClient client = new RegistryClient(restarted.url());

            assertThat(client.register("orders-value", ORDER_WITH_AMOUNT_DEFAULT)).isEqualTo(ordersV2Id);
            int fresh = client.register("fresh-value", TestSchemas.record("Fresh"));
            assertThat(fresh).isGreaterThan(Math.max(paymentsId, ordersV2Id));
            assertThat(client.get("/subjects/fresh-value/versions").body()).isEqualTo("[1]");
        }
    }
}
