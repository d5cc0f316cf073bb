package dev.fanout.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secured broker itself: who gets in on which listener, and that ACLs decide the rest. */
class SecuredKafkaBrokerIT {

    private static final String TOPIC = "secured-topic";

    @TempDir
    static Path dir;

    private static SecuredKafkaBroker kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = SecuredKafkaBroker.start(dir, List.of("alice", "bob"));
        try (Admin admin = Admin.create(kafka.adminClient())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(
                    writeAcl("User:alice"),
                    writeAcl("User:CN=carol"))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aScramUserWithAnAclWritesOverSaslSsl() throws Exception {
        try (KafkaProducer<String, String> producer = producer(kafka.saslClient("alice"))) {
            assertThat(producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get(30, TimeUnit.SECONDS).offset())
                    .isNotNegative();
        }
    }

    @Test
    void aCertificateWithAnAclWritesOverMutualTls() throws Exception {
        try (KafkaProducer<String, String> producer = producer(kafka.mtlsClient("carol"))) {
            assertThat(producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get(30, TimeUnit.SECONDS).offset())
                    .isNotNegative();
        }
    }

    @Test
    void aUserWithoutAnAclIsRefused() {
        try (KafkaProducer<String, String> producer = producer(kafka.saslClient("bob"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordFailsAuthentication() {
        try (Admin admin = Admin.create(withTimeouts(kafka.saslClient("alice", "not-the-password")))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aCertificateFromAnotherAuthorityIsNotTrusted() {
        TestPki stranger = TestPki.create(dir.resolve("stranger"), "stranger-ca");
        try (Admin admin = Admin.create(withTimeouts(kafka.mtlsClient(stranger.keystore("mallory"), stranger.password())))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SslAuthenticationException.class);
        }
    }

    private static AclBinding writeAcl(String principal) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", AclOperation.WRITE, AclPermissionType.ALLOW));
    }

    private static Map<String, Object> withTimeouts(Map<String, Object> client) {
        Map<String, Object> conf = new HashMap<>(client);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return conf;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Map<String, Object> conf = new HashMap<>(client);
        conf.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        conf.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        conf.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(conf, new StringSerializer(), new StringSerializer());
    }
}
