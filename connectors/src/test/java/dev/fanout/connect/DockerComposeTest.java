package dev.fanout.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so docker-compose.yml is checked as a document: its images, ports, mounts
 * and settings against the Connect worker file, the shipped configurations and docs/connect.md.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..");
    private static JsonNode services;

    @BeforeAll
    static void parse() throws IOException {
        services = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
    }

    @Test
    void kafkaIsTheProjectsVersionInKraftModeAndConnectRunsOnTheSameImage() {
        String kafka = "apache/kafka:" + AppInfoParser.getVersion();
        assertThat(services.at("/kafka/image").asText()).isEqualTo(kafka);
        assertThat(services.at("/connect/image").asText()).isEqualTo(kafka);
        assertThat(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText()).contains("INTERNAL://kafka:19092");
        assertThat(services.at("/schema-registry/image").asText()).startsWith("confluentinc/cp-schema-registry:");
        assertThat(services.at("/schema-registry/environment/SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").asText())
                .endsWith("kafka:19092");
        assertThat(services.at("/postgres/image").asText()).isEqualTo("postgres:15");
    }

    @Test
    void theConnectWorkerMountsThePluginsWhereItsPluginPathSaysAndReadsFanoutsAvroFromTheRegistry() throws IOException {
        // Given the worker file the connect service mounts
        Map<String, String> mounts = mounts("connect");
        Path workerFile = ROOT.resolve(mountedFrom(mounts, "/opt/fanout/connect-distributed.properties"));
        Map<String, String> worker = ConnectDocTest.properties(Files.readString(workerFile));

        // Then the plugins the build makes are mounted at its plugin.path, and it runs that file
        assertThat(mountedFrom(mounts, worker.get("plugin.path"))).isEqualTo("./connectors/target/connect-plugins");
        assertThat(texts(services.at("/connect/command"))).containsExactly("/opt/kafka/bin/connect-distributed.sh",
                "/opt/fanout/connect-distributed.properties");
        assertThat(worker).containsEntry("value.converter", FanoutAvroConverter.class.getName())
                .containsEntry("value.converter.schema.registry.url", "http://schema-registry:8081")
                .containsEntry("bootstrap.servers", "kafka:19092")
                .containsEntry("consumer.isolation.level", "read_committed")
                .containsEntry("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    }

    @Test
    void everyEnvironmentVariableTheShippedPostgresSinksUseIsSetAndReachesTheComposeDatabase() throws IOException {
        JsonNode environment = services.at("/connect/environment");
        for (String file : List.of("tree-done-postgres.properties", "fanout-done-postgres.properties")) {
            Matcher variable = Pattern.compile("\\$\\{env:([A-Z_]+)}").matcher(Files.readString(Path.of(file)));
            while (variable.find()) {
                assertThat(environment.has(variable.group(1))).as("%s in %s", variable.group(1), file).isTrue();
            }
        }
        JsonNode postgres = services.at("/postgres/environment");
        assertThat(environment.get("FANOUT_JDBC_URL").asText())
                .isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB").asText());
        assertThat(environment.get("FANOUT_JDBC_USER").asText()).isEqualTo(postgres.get("POSTGRES_USER").asText());
        assertThat(environment.get("FANOUT_JDBC_PASSWORD").asText()).isEqualTo(postgres.get("POSTGRES_PASSWORD").asText());
    }

    @Test
    void theTopologyRunsTheCliJarAgainstTheComposeKafkaAndRegistryAfterTheTopicsExist() throws IOException {
        for (String service : List.of("fanout", "fanout-topics")) {
            Map<String, String> mounts = mounts(service);
            assertThat(mountedFrom(mounts, "/opt/fanout/fanout.jar")).isEqualTo("./cli/target/fanout.jar");
            Map<String, String> settings = ConnectDocTest.properties(Files.readString(
                    ROOT.resolve(mountedFrom(mounts, "/opt/fanout/fanout.properties"))));
            assertThat(settings).containsEntry("bootstrap.servers", "kafka:19092")
                    .containsEntry("schema.registry.url", "http://schema-registry:8081");
        }
        assertThat(texts(services.at("/fanout-topics/command"))).contains("topics", "create");
        assertThat(texts(services.at("/fanout/command"))).contains("run");
        assertThat(services.at("/fanout/depends_on/fanout-topics/condition").asText())
                .isEqualTo("service_completed_successfully");
    }

    @Test
    void thePortsPublishedAreThoseTheDocsList() throws IOException {
        String docs = Files.readString(ConnectDocTest.DOC);
        Map<String, String> services = Map.of("kafka", "Kafka", "schema-registry", "Schema Registry",
                "fanout", "Fanout query API", "connect", "Kafka Connect REST API", "postgres", "PostgreSQL");
        services.forEach((service, label) -> {
            List<String> ports = texts(DockerComposeTest.services.at("/" + service + "/ports"));
            assertThat(ports).as(service).hasSize(1);
            String hostPort = ports.get(0).substring(0, ports.get(0).indexOf(':'));
            assertThat(docs).as(service).contains("| " + label + " | " + hostPort + " |");
        });
        assertThat(docs).contains("http://localhost:8083/connectors/fanout-tree-done-postgres/config");
    }

    private static Map<String, String> mounts(String service) {
        Map<String, String> mounts = new java.util.HashMap<>();
        for (String volume : texts(services.at("/" + service + "/volumes"))) {
            String[] parts = volume.split(":");
            mounts.put(parts[1], parts[0]);
        }
        return mounts;
    }

    private static String mountedFrom(Map<String, String> mounts, String target) {
        assertThat(mounts).as("a mount at %s", target).containsKey(target);
        return mounts.get(target);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        StreamSupport.stream(array.spliterator(), false).forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
