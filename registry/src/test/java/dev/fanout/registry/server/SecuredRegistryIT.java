package dev.fanout.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.registry.client.RestClientException;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.registry.client.SchemaRegistryUnavailableException;
import dev.fanout.serde.AvroSerdeConfig;
import dev.fanout.testkit.SecuredKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry on a secured cluster, configured as Confluent's is: its store logs in with
 * {@code kafkastore.*} settings, it serves HTTPS and requires basic auth, or client certificates.
 */
class SecuredRegistryIT {

    private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}");

    @TempDir
    static Path dir;

    private static SecuredKafkaBroker kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = SecuredKafkaBroker.start(dir, List.of("registry"));
        try (Admin admin = Admin.create(kafka.adminClient())) {
            List<AclBinding> acls = List.of(AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.READ, AclOperation.WRITE).stream().map(op -> new AclBinding(
                            new ResourcePattern(ResourceType.TOPIC, "_schemas-", PatternType.PREFIXED),
                            new AccessControlEntry("User:registry", "*", op, AclPermissionType.ALLOW))).toList();
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void basicAuthAdmitsItsUsersOnly() {
        Map<String, Object> server = store("_schemas-basic", kafka.password("registry").value());
        server.putAll(https());
        server.put("authentication.method", "BASIC");
        server.put("authentication.basic.users", "fanout:s3cret-1");

        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().config(server).port(0).build().start()) {
            assertThat(registry.url()).startsWith("https://");
            Map<String, Object> client = client(registry);
            client.put("basic.auth.credentials.source", "USER_INFO");
            client.put("basic.auth.user.info", "fanout:s3cret-1");
            try (SchemaRegistryClient admitted = AvroSerdeConfig.createRegistryClient(client)) {
                assertThat(admitted.register("r-value", SCHEMA)).isPositive();
            }
            client.put("basic.auth.user.info", "fanout:wrong");
            try (SchemaRegistryClient refused = AvroSerdeConfig.createRegistryClient(client)) {
                assertThatThrownBy(refused::getAllSubjects).isInstanceOf(RestClientException.class)
                        .satisfies(e -> assertThat(((RestClientException) e).httpStatus()).isEqualTo(401))
                        .hasMessageContaining("basic.auth.user.info");
            }
        }
    }

    @Test
    void requiredClientCertificatesKeepOutClientsWithout() {
        Map<String, Object> server = store("_schemas-mtls", kafka.password("registry").value());
        server.putAll(https());
        server.put("ssl.truststore.location", kafka.truststore().toString());
        server.put("ssl.truststore.password", kafka.pki().password().value());
        server.put("ssl.truststore.type", "PKCS12");
        server.put("ssl.client.authentication", "REQUIRED");

        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().config(server).port(0).build().start()) {
            Map<String, Object> client = client(registry);
            client.put("schema.registry.retries", 0);
            try (SchemaRegistryClient without = AvroSerdeConfig.createRegistryClient(client)) {
                assertThatThrownBy(without::getAllSubjects).isInstanceOf(SchemaRegistryUnavailableException.class);
            }
            client.put("schema.registry.ssl.keystore.location", kafka.pki().keystore("fanout-pipeline").toString());
            client.put("schema.registry.ssl.keystore.password", kafka.pki().password().value());
            client.put("schema.registry.ssl.keystore.type", "PKCS12");
            try (SchemaRegistryClient with = AvroSerdeConfig.createRegistryClient(client)) {
                assertThat(with.register("r-value", SCHEMA)).isPositive();
            }
        }
    }

    @Test
    void aWrongStorePasswordFailsTheStartAtOnceNamingTheSettings() {
        Map<String, Object> server = store("_schemas-wrong", "not-the-password");
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().config(server).port(0)
                .startupTimeout(Duration.ofSeconds(60)).build();

        long started = System.nanoTime();
        assertThatThrownBy(registry::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SaslAuthenticationException")
                .hasMessageContaining("kafkastore.sasl.*")
                .hasMessageNotContaining("not-the-password");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    /** The store's settings under kafkastore.*, as a Confluent registry properties file has them. */
    private static Map<String, Object> store(String topic, String password) {
        Map<String, Object> server = new LinkedHashMap<>();
        kafka.saslClient("registry", password).forEach((key, value) -> server.put("kafkastore." + key, value));
        server.put("kafkastore.topic", topic);
        return server;
    }

    private static Map<String, Object> https() {
        Map<String, Object> https = new HashMap<>();
        https.put("ssl.keystore.location", kafka.pki().keystore("fanout-registry").toString());
        https.put("ssl.keystore.password", kafka.pki().password().value());
        https.put("ssl.keystore.type", "PKCS12");
        return https;
    }

    private static Map<String, Object> client(EmbeddedSchemaRegistry registry) {
        Map<String, Object> client = new HashMap<>();
        client.put("schema.registry.url", registry.url());
        client.put("schema.registry.ssl.truststore.location", kafka.truststore().toString());
        client.put("schema.registry.ssl.truststore.password", kafka.pki().password().value());
        client.put("schema.registry.ssl.truststore.type", "PKCS12");
        return client;
    }
}
