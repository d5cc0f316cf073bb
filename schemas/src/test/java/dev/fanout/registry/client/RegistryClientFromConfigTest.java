package dev.fanout.registry.client;

import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.error;
import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.serde.AvroSerdeConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client built from the serde's configuration map, as other modules build one. */
class RegistryClientFromConfigTest {

    private final ScriptedRegistryServer server = ScriptedRegistryServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aClientBuiltFromConfigurationUsesItsCredentialsAndRetries() {
        // Given a registry that fails once, and a configuration with credentials and one retry
        server.on("GET", "/subjects", error(503, 503, "starting"), ok("[\"s\"]"));
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, "fanout:s3cret",
                AvroSerdeConfig.RETRIES, 1, AvroSerdeConfig.RETRY_BACKOFF_MS, 1);

        // When a client built from it asks
        try (SchemaRegistryClient client = AvroSerdeConfig.createRegistryClient(config)) {
            // Then the retry got the answer, and both requests carried the credentials
            assertThat(client.getAllSubjects()).containsExactly("s");
        }
        assertThat(server.requests()).hasSize(2).allSatisfy(request -> assertThat(request.header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("fanout:s3cret".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aClientBuiltFromConfigurationCachesSchemasById() {
        // Given a registry with schema 5
        server.on("GET", "/schemas/ids/5", ok("{\"schema\":\"\\\"string\\\"\"}"));

        // When a client built from configuration fetches it twice
        try (SchemaRegistryClient client = AvroSerdeConfig.createRegistryClient(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url()))) {
            client.getSchemaById(5);
            client.getSchemaById(5);
        }

        // Then the registry was asked once
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aStaticBearerTokenIsSentInsteadOfBasicAuth() {
        // Given a configuration with a static bearer token
        server.on("GET", "/subjects", ok("[]"));
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                AvroSerdeConfig.BEARER_AUTH_TOKEN, "tok-123");

        // When a client built from it asks
        try (SchemaRegistryClient client = AvroSerdeConfig.createRegistryClient(config)) {
            client.getAllSubjects();
        }

        // Then the request carried the token
        assertThat(server.requests()).singleElement()
                .satisfies(request -> assertThat(request.header("Authorization")).isEqualTo("Bearer tok-123"));
    }

    @Test
    void saslInheritTakesTheKafkaClientsLogin() {
        // Given the Kafka clients' SCRAM login and SASL_INHERIT
        server.on("GET", "/subjects", ok("[]"));
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"fanout-pipeline\" password=\"pw-1\";");

        // When a client built from it asks
        try (SchemaRegistryClient client = AvroSerdeConfig.createRegistryClient(config)) {
            client.getAllSubjects();
        }

        // Then the request carried the same user and password
        assertThat(server.requests()).singleElement().satisfies(request -> assertThat(request.header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("fanout-pipeline:pw-1".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void saslInheritWithoutALoginSaysWhatIsMissing() {
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT");

        assertThatThrownBy(() -> new AvroSerdeConfig(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source is SASL_INHERIT but sasl.jaas.config is not set");
    }

    @Test
    void basicAndBearerTogetherAreRefused() {
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO", AvroSerdeConfig.BASIC_AUTH_USER_INFO, "u:p",
                AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN", AvroSerdeConfig.BEARER_AUTH_TOKEN, "t");

        assertThatThrownBy(() -> new AvroSerdeConfig(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("remove one of them");
    }

    @Test
    void settingsNeverPrintTheirSecrets() {
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO", AvroSerdeConfig.BASIC_AUTH_USER_INFO,
                "fanout:s3cret");

        assertThat(new AvroSerdeConfig(config).registryClientSettings().toString()).doesNotContain("s3cret");
    }
}
