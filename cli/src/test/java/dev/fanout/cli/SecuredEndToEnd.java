package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.app.CaughtUp;
import dev.fanout.app.FanoutApp;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.testkit.SecuredKafkaBroker;
import dev.fanout.worker.FanoutWorker;
import dev.fanout.worker.demo.DemoWorkers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nested tree of {@code fanout demo}, end to end on a secured broker: the pipeline (started from a
 * properties file, as {@code fanout run --config} does), the worker SDK running the example workers,
 * the {@code fanout} command ({@code topics create}, {@code subscriptions sync}, {@code emit},
 * {@code consume}) and the embedded registry's Kafka store, each as its own principal holding only the
 * ACLs docs/security.md lists. The registry serves HTTPS. Subclasses say how a principal connects
 * (SASL_SSL or mutual TLS) and how the registry authenticates its clients (basic auth or certificates).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SecuredEndToEnd {

    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final Path EXAMPLES = Path.of("..", "examples", "repos");
    static final String WORKER_GROUP = "example-workers";
    static final String APPLICATION_ID = "fanout";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    SecuredKafkaBroker kafka;
    EmbeddedSchemaRegistry registry;
    FanoutApp pipeline;
    FanoutWorker workers;
    Path adminConfig;
    Path operatorConfig;
    Path pipelineConfig;
    CapturedLogs logs;
    /** What every command printed, searched for secrets at the end. */
    final List<String> printed = new ArrayList<>();
    final String apiToken = "api-" + UUID.randomUUID().toString().replace("-", "");

    /** Client settings with which {@code role} (a principal of docs/security.md) reaches the broker. */
    abstract Map<String, Object> clientOf(String role);

    /** The principal {@code role} authenticates as, such as {@code User:pipeline}. */
    abstract String principalOf(String role);

    /** Client settings of an administrator, who creates the topics. */
    abstract Map<String, Object> administrator();

    /** The registry's own settings, under Confluent's names: its store's kafkastore.*, HTTPS and authentication. */
    abstract Map<String, Object> registryServer();

    /** The settings with which {@code role} reaches the registry (TLS, credentials), under Confluent's client names. */
    abstract Map<String, Object> registryClientOf(String role);

    @BeforeAll
    void startSecuredInstallation() throws Exception {
        logs = CapturedLogs.start();
        kafka = SecuredKafkaBroker.start(dir, DocumentedAcls.ROLES);
        try (Admin admin = Admin.create(kafka.adminClient())) {
            admin.createAcls(DocumentedAcls.forPrincipals(DocumentedAcls.ROLES.stream()
                    .collect(Collectors.toMap(role -> role, this::principalOf)))).all().get(30, TimeUnit.SECONDS);
        }
        registry = EmbeddedSchemaRegistry.builder().config(registryServer()).port(0).build().start();

        // Creating the topics also registers the contract schemas: the administrator reaches the registry too.
        Map<String, Object> admin = new LinkedHashMap<>(administrator());
        admin.put("schema.registry.url", registry.url());
        admin.putAll(registryClientOf("operator"));
        adminConfig = propertiesFile("admin.properties", admin);
        CliRun topics = CliRun.of("topics", "create", "--config", adminConfig.toString());
        printed.add(topics.out() + topics.err());
        assertThat(topics.exitCode()).as(topics.out() + topics.err()).isZero();

        Map<String, Object> pipelineSettings = new LinkedHashMap<>(clientOf("pipeline"));
        pipelineSettings.put("schema.registry.url", registry.url());
        pipelineSettings.putAll(registryClientOf("pipeline"));
        pipelineSettings.put(FanoutConfig.APPLICATION_ID, APPLICATION_ID);
        pipelineSettings.put(FanoutConfig.HTTP_HOST, "127.0.0.1");
        pipelineSettings.put(FanoutConfig.HTTP_PORT, "0");
        pipelineSettings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
        pipelineSettings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        pipelineSettings.put(FanoutConfig.TIMERS_INTERVAL_MS, "50");
        pipelineSettings.put(FanoutConfig.HTTP_SSL_KEYSTORE_LOCATION, kafka.pki().keystore("fanout-api").toString());
        pipelineSettings.put(FanoutConfig.HTTP_SSL_KEYSTORE_PASSWORD, kafka.pki().password().value());
        pipelineSettings.put(FanoutConfig.HTTP_AUTH_TOKEN, apiToken);
        pipelineConfig = propertiesFile("pipeline.properties", pipelineSettings);
        pipeline = FanoutApp.start(ConnectionOptions.load(pipelineConfig));
        pipeline.awaitRunning(PATIENCE);

        FanoutWorker.Builder builder = FanoutWorker.builder().bootstrapServers(bootstrap(clientOf("worker")))
                .schemaRegistryUrl(registry.url()).groupId(WORKER_GROUP)
                // as fanout demo: a run waiting for its children holds a slot, and the tree is three levels deep
                .concurrency(8);
        withoutBootstrap(clientOf("worker")).forEach(builder::property);
        registryClientOf("worker").forEach(builder::property);
        workers = DemoWorkers.register(builder).build().start();

        Map<String, Object> operator = new LinkedHashMap<>(clientOf("operator"));
        operator.put("schema.registry.url", registry.url());
        operator.putAll(registryClientOf("operator"));
        operatorConfig = propertiesFile("operator.properties", operator);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable part : new AutoCloseable[] {workers, pipeline, registry, kafka, logs}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot stop " + part, e);
                }
            }
        }
    }

    @Test
    @Order(1)
    void theNestedDemoTreeRunsWithOnlyTheDocumentedAcls() throws Exception {
        // Given the example subscriptions, synced by the operator and indexed by the pipeline
        CliRun sync = cli("subscriptions", "sync", "--repos", EXAMPLES.toString());
        assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
        awaitCaughtUp();

        // When the operator emits the demo's release
        String tree = "secured-" + getClass().getSimpleName();
        CliRun emit = cli("emit", "--artifact", DemoWorkers.ROOT_ARTIFACT, "--event-type", "published",
                "--schema-version", "1.4.0", "--event-id", tree,
                "--payload", "{\"version\": \"1.4.0\", \"channel\": \"stable\"}");
        assertThat(emit.exitCode()).as(emit.out() + emit.err()).isZero();

        // Then the workers run the whole three-level tree, and the operator reads its TreeDone
        JsonNode done = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> treeDone(tree), Optional::isPresent).orElseThrow();
        DemoWorkers.Expected expected = DemoWorkers.EXPECTED;
        assertThat(done.get("status").asText()).isEqualTo(expected.status().name());
        JsonNode counts = done.get("counts");
        assertThat(counts.get("total").asLong()).isEqualTo(expected.total());
        assertThat(counts.get("succeeded").asLong()).isEqualTo(expected.succeeded());
        assertThat(counts.get("failed").asLong()).isEqualTo(expected.failed());
        assertThat(counts.get("skipped").asLong()).isEqualTo(expected.skipped());
        assertThat(counts.get("retries").asLong()).isEqualTo(expected.retries());
    }

    @Test
    @Order(2)
    void theApiServesHttpsAndAsksTheTokenOfChangesOnly() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTheTestAuthority()).build();

        HttpResponse<String> trees = client.send(HttpRequest.newBuilder(api("/api/trees")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(api("/api/trees"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(trees.statusCode()).isEqualTo(200);
        assertThat(trees.body()).contains("secured-" + getClass().getSimpleName());
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(post.body()).contains("fanout.http.auth.token");
    }

    @Test
    @Order(3)
    void noSecretAppearsInTheLogsTheOutputsOrTheMetrics() throws Exception {
        // Given everything the installation said: every log line (Kafka's configuration dumps included),
        // what each command printed, and the metrics
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTheTestAuthority()).build();
        String metrics = client.send(HttpRequest.newBuilder(api("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> said = new ArrayList<>(logs.lines());
        said.addAll(printed);
        said.add(metrics);
        assertThat(String.join("\n", logs.lines())).as("the search covers the clients' configuration dumps")
                .contains("ssl.truststore.password = [hidden]");

        // Then none of the secrets in play is in any of it
        List<String> secrets = new ArrayList<>(kafka.secrets());
        secrets.add(apiToken);
        for (String secret : secrets) {
            assertThat(said).as("lines holding a secret").noneMatch(line -> line.contains(secret));
        }
    }

    URI api(String path) {
        return URI.create(pipeline.httpScheme() + "://127.0.0.1:" + pipeline.httpPort().orElseThrow() + path);
    }

    SSLContext trustingTheTestAuthority() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(kafka.truststore())) {
            trust.load(in, kafka.pki().password().value().toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** The TreeDone of {@code tree}, as {@code fanout consume} prints it, once it is there. */
    Optional<JsonNode> treeDone(String tree) throws IOException {
        CliRun consume = cli("consume", "fanout.tree-done", "--from-beginning", "--idle-timeout-ms", "1000");
        assertThat(consume.exitCode()).as(consume.err()).isZero();
        for (String line : consume.out().split("\n")) {
            if (!line.isBlank()) {
                JsonNode record = JSON.readTree(line);
                if (record.get("tree_id").asText().equals(tree)) {
                    return Optional.of(record);
                }
            }
        }
        return Optional.empty();
    }

    /** The command line as the operator: {@code --config operator.properties}. */
    CliRun cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = operatorConfig.toString();
        CliRun run = CliRun.of(all);
        synchronized (printed) {
            printed.add(run.out() + run.err());
        }
        return run;
    }

    void awaitCaughtUp() {
        FanoutTopics topics = FanoutTopics.from(Map.of("schema.registry.url", registry.url()));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> CaughtUp.isCaughtUp(kafka.adminClient(), APPLICATION_ID, topics));
    }

    /** A client properties file as a user writes it: one key=value a line. */
    Path propertiesFile(String name, Map<String, Object> settings) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        return file;
    }

    static String bootstrap(Map<String, Object> client) {
        return (String) client.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** The store's Kafka client settings as Confluent's registry takes them: each key under kafkastore. */
    static Map<String, Object> kafkastore(Map<String, Object> client) {
        Map<String, Object> store = new LinkedHashMap<>();
        client.forEach((key, value) -> store.put("kafkastore." + key, value));
        return store;
    }

    /** HTTPS for the registry, with a certificate of the broker's authority. */
    Map<String, Object> registryHttps() {
        Map<String, Object> https = new LinkedHashMap<>();
        https.put("ssl.keystore.location", kafka.pki().keystore("fanout-registry").toString());
        https.put("ssl.keystore.password", kafka.pki().password().value());
        https.put("ssl.keystore.type", "PKCS12");
        return https;
    }

    /** Trust in the registry's certificate, for its clients. */
    Map<String, Object> registryTrust() {
        Map<String, Object> trust = new LinkedHashMap<>();
        trust.put("schema.registry.ssl.truststore.location", kafka.truststore().toString());
        trust.put("schema.registry.ssl.truststore.password", kafka.pki().password().value());
        trust.put("schema.registry.ssl.truststore.type", "PKCS12");
        return trust;
    }

    static Map<String, Object> withoutBootstrap(Map<String, Object> client) {
        Map<String, Object> rest = new HashMap<>(client);
        rest.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return rest;
    }
}
