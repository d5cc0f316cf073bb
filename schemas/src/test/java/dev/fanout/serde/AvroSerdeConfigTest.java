package dev.fanout.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.avro.Trigger;
import dev.fanout.registry.client.CachingSchemaRegistryClient;
import dev.fanout.registry.client.RegistryClientSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    private static final String URL = AvroSerdeConfig.SCHEMA_REGISTRY_URL;

    @Test
    void aMissingRegistryUrlNamesTheKeyAndHowToSetIt() {
        // Given no registry URL, when the configuration is read, then the error names the key and an example
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url is not set")
                .hasMessageContaining("http://localhost:8081");
    }

    @Test
    void aBlankRegistryUrlCountsAsMissing() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(URL, " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url is not set");
    }

    @Test
    void aRegistryUrlWithoutSchemeNamesTheKeyTheValueAndTheFix() {
        // Given host:port without http://, when the configuration is read, then the error says what is wrong
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(URL, "http://ok:8081,registry:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value registry:8081 for configuration schema.registry.url")
                .hasMessageContaining("does not start with http:// or https://")
                .hasMessageContaining("such as http://localhost:8081");
    }

    @Test
    void anInvalidRegistryUrlIsReportedWithoutItsCredentials() {
        // Given an ftp URL with a password in it, when the configuration is read, then the password is not shown
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(URL, "ftp://admin:hunter2@registry:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ftp://***@registry:8081")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void theDefaultsAreConfluentsWhereConfluentHasTheKey() {
        // Given only a URL, when the configuration is read
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(URL, "http://a:8081, http://b:8081"));

        // Then the serializer registers, does not use the latest version, and the URLs are both there
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.normalizeSchemas()).isFalse();
        assertThat(config.latestCacheTtl()).isEqualTo(CachingSchemaRegistryClient.NEVER_EXPIRE);
        assertThat(config.schemaRegistryUrls()).containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081"));
    }

    @Test
    void theClientSettingsComeFromTheSchemaRegistryKeys() {
        // Given timeouts, retries and credentials
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(URL, "http://a:8081",
                AvroSerdeConfig.CONNECT_TIMEOUT_MS, 1500, AvroSerdeConfig.REQUEST_TIMEOUT_MS, "2500",
                AvroSerdeConfig.RETRIES, 7, AvroSerdeConfig.RETRY_BACKOFF_MS, 50, AvroSerdeConfig.RETRY_BACKOFF_MAX_MS, 800,
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO", AvroSerdeConfig.BASIC_AUTH_USER_INFO, "u:p"));

        // When the client settings are derived
        RegistryClientSettings settings = config.registryClientSettings();

        // Then each key landed where it belongs
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(settings.maxRetries()).isEqualTo(7);
        assertThat(settings.retryBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.maxRetryBackoff()).isEqualTo(Duration.ofMillis(800));
        assertThat(settings.userInfo()).contains("u:p");
        assertThat(settings.sslContext()).isEmpty();
    }

    @Test
    void userInfoIsIgnoredWhenCredentialsComeFromTheUrl() {
        // Given user info but the default credentials source, URL
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(URL, "http://a:8081", AvroSerdeConfig.BASIC_AUTH_USER_INFO, "u:p"));

        // When the client settings are derived, then they carry no user info
        assertThat(config.registryClientSettings().userInfo()).isEmpty();
    }

    @Test
    void userInfoCredentialsWithoutUserInfoNameBothKeys() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(URL, "http://a:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source is USER_INFO but basic.auth.user.info is empty");
    }

    @Test
    void anUnknownCredentialsSourceIsRefused() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(URL, "http://a:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source");
    }

    @Test
    void theValueTypeIsAGeneratedClassGivenByName() {
        // Given the value type by class name, when it is read, then it is the class
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(URL, "http://a:8081",
                AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, Trigger.class.getName()));

        assertThat(config.specificAvroType(false)).contains(Trigger.class);
        assertThat(config.specificAvroType(true)).isEmpty();
    }

    @Test
    void aValueTypeThatIsNotAGeneratedClassIsRefused() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(URL, "http://a:8081",
                AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, String.class)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("specific.avro.value.type")
                .hasMessageContaining("not a generated Avro class");
    }

    @Test
    void aNegativeRetryCountIsRefused() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(URL, "http://a:8081", AvroSerdeConfig.RETRIES, -1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.retries");
    }

    @Test
    void everyKeyIsDocumentedForTheGeneratedConfigurationTable() {
        // Given the definition, when its keys are listed, then each has documentation the docs table can show
        ConfigDef definition = AvroSerdeConfig.configDef();

        assertThat(definition.configKeys()).hasSize(24);
        assertThat(definition.configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).as(key.name).isNotBlank());
        assertThat(definition.toHtmlTable()).contains("schema.registry.url", "schema.registry.retry.backoff.ms");
    }

    @Test
    void theDefinitionHandedOutIsACopy() {
        // Given a caller that adds a key to the definition it got
        AvroSerdeConfig.configDef().define("extra", ConfigDef.Type.STRING, "x", ConfigDef.Importance.LOW, "added");

        // When the definition is asked for again, then the key is not there
        assertThat(AvroSerdeConfig.configDef().names()).doesNotContain("extra");
    }
}
