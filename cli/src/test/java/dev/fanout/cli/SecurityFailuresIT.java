package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.config.FanoutConfig;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.testkit.SecuredKafkaBroker;
import dev.fanout.testkit.TestPki;
import dev.fanout.worker.FanoutWorker;
import dev.fanout.worker.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrong password, an untrusted certificate or a missing ACL fails at once with a message that names
 * the setting or the ACL to fix, never with a timeout: for the command line, the pipeline and a worker.
 * The principals hold the ACLs of docs/security.md, as in {@link SaslSslEndToEndIT}.
 */
class SecurityFailuresIT {

    /** Far below every client timeout in play (20 s and more): a refusal is not a timeout. */
    private static final Duration FAST = Duration.ofSeconds(15);
    private static final String EMIT_PAYLOAD = "{\"version\": \"1.4.0\"}";

    @TempDir
    static Path dir;

    private static SecuredKafkaBroker kafka;
    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        kafka = SecuredKafkaBroker.start(dir, DocumentedAcls.ROLES);
        try (Admin admin = Admin.create(kafka.adminClient())) {
            admin.createAcls(DocumentedAcls.forPrincipals(DocumentedAcls.ROLES.stream()
                    .collect(Collectors.toMap(role -> role, role -> "User:" + role)))).all().get(30, TimeUnit.SECONDS);
        }
        registry = EmbeddedSchemaRegistry.builder().bootstrapServers(kafka.broker().bootstrapServers())
                .kafkaProperties(kafka.saslClient("registry")).port(0).build().start();
        // Creating the topics also registers the contract schemas, so the administrator names the registry.
        Map<String, Object> adminSettings = new LinkedHashMap<>(kafka.saslClient(SecuredKafkaBroker.ADMIN_USER));
        adminSettings.put("schema.registry.url", registry.url());
        Path admin = properties("admin.properties", adminSettings);
        CliRun topics = CliRun.of("topics", "create", "--config", admin.toString());
        assertThat(topics.exitCode()).as(topics.out() + topics.err()).isZero();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aWrongPasswordNamesSaslJaasConfig() throws IOException {
        Path config = properties("wrong-password.properties", kafka.saslClient("operator", "not-the-password"));

        CliRun emit = timed(() -> emit(config));

        assertThat(emit.exitCode()).isEqualTo(FanoutCli.EXIT_ERROR);
        assertThat(emit.err()).contains("error: the broker refused the SASL login")
                .contains("check the username and password in sasl.jaas.config")
                .doesNotContain("not-the-password");
    }

    @Test
    void aClientCertificateFromAnotherAuthorityNamesTheKeystore() throws IOException {
        TestPki stranger = TestPki.create(dir.resolve("stranger"), "stranger-ca");
        Path config = properties("stranger.properties", kafka.mtlsClient(stranger.keystore("operator"), stranger.password()));

        CliRun consume = timed(() -> consumeTreeDone(config));

        assertThat(consume.exitCode()).isEqualTo(FanoutCli.EXIT_ERROR);
        assertThat(consume.err()).contains("error: TLS: the broker refused this client's certificate")
                .contains("ssl.keystore.location");
    }

    @Test
    void aTruststoreWithoutTheBrokersAuthorityNamesTheTruststore() throws IOException {
        TestPki other = TestPki.create(dir.resolve("other"), "other-ca");
        Map<String, Object> client = new LinkedHashMap<>(kafka.saslClient("operator"));
        client.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, other.truststore().toString());
        client.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, other.password().value());
        Path config = properties("untrusted-broker.properties", client);

        CliRun consume = timed(() -> consumeTreeDone(config));

        assertThat(consume.exitCode()).isEqualTo(FanoutCli.EXIT_ERROR);
        assertThat(consume.err()).contains("error: TLS: this client does not trust the broker's certificate")
                .contains("ssl.truststore.location");
    }

    @Test
    void aMissingTopicAclNamesTheTopic() throws IOException {
        // the registry's principal may write its own topic only
        Path config = properties("registry-as-operator.properties", kafka.saslClient("registry"));

        CliRun emit = timed(() -> emit(config));

        assertThat(emit.exitCode()).isEqualTo(FanoutCli.EXIT_ERROR);
        assertThat(emit.err()).contains("error: not authorized on TOPIC fanout.artifact-events")
                .contains("docs/security.md");
    }

    @Test
    void aPipelineWithoutItsAclsStopsAndSaysWhichIsMissing() throws IOException {
        // the operator's principal holds none of the pipeline's ACLs but on the topics it shares
        Map<String, Object> settings = new LinkedHashMap<>(kafka.saslClient("operator"));
        settings.put("schema.registry.url", registry.url());
        settings.put(FanoutConfig.HTTP_PORT, -1);
        Path config = properties("pipeline-as-operator.properties", settings);

        CliRun run = timed(() -> CliRun.of("run", "--config", config.toString(),
                "--state-dir", dir.resolve("streams").toString()));

        assertThat(run.exitCode()).isEqualTo(FanoutCli.EXIT_ERROR);
        assertThat(run.err()).contains("error: the topology did not start: Fanout cannot run on this cluster: "
                + "not authorized on ").contains("docs/security.md");
    }

    @Test
    void aWorkerWithAWrongPasswordDoesNotStart() {
        Map<String, Object> client = kafka.saslClient("worker", "not-the-password");
        FanoutWorker.Builder builder = FanoutWorker.builder().bootstrapServers(kafka.broker().bootstrapServers())
                .schemaRegistryUrl(registry.url()).groupId(SecuredEndToEnd.WORKER_GROUP)
                .handle("svc-a", "build", run -> RunResult.succeeded());
        SecuredEndToEnd.withoutBootstrap(client).forEach(builder::property);

        try (FanoutWorker worker = builder.build()) {
            long started = System.nanoTime();
            assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start: the broker refused the SASL login")
                    .hasMessageContaining("sasl.jaas.config")
                    .hasMessageNotContaining("not-the-password");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
        }
    }

    private static CliRun emit(Path config) {
        return CliRun.of("emit", "--artifact", "lib-core:release", "--event-type", "published", "--schema-version",
                "1.4.0", "--payload", EMIT_PAYLOAD, "--schema-registry-url", registry.url(), "--config", config.toString());
    }

    private static CliRun consumeTreeDone(Path config) {
        return CliRun.of("consume", "fanout.tree-done", "--from-beginning", "--idle-timeout-ms", "1000",
                "--config", config.toString());
    }

    /** Runs a command and checks that it answered fast. */
    private static CliRun timed(java.util.function.Supplier<CliRun> command) {
        long started = System.nanoTime();
        CliRun run = command.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as(run.err()).isLessThan(FAST);
        return run;
    }

    private static Path properties(String name, Map<String, Object> settings) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        return file;
    }
}
