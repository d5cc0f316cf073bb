package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.config.ContractSchemaInstaller;
import dev.fanout.config.TopicInstaller;
import dev.fanout.contract.ContractSchemas;
import dev.fanout.local.DevStack;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as a user meets it: start, emit, consume, stop, start again. Each test starts its own
 * stack on free ports, because restarting is what is under test. What is under test here is the broker,
 * the registry, the topics and the schemas, so these stacks run no topology; the stack's topology is
 * exercised by the tests that follow trees through it ({@code QueryApiCliIT}, {@code ExamplesEndToEndIT},
 * {@code DemoCommandIT}).
 */
class DevStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private DevStack start() {
        return DevStack.start(new DevStack.Options(dataDir, "127.0.0.1", 0, 0, 2).withoutTopology());
    }

    @Test
    void anEmittedEventIsConsumedBackDecoded() throws Exception {
        try (DevStack stack = start()) {
            // Given the stack with its topics
            assertThat(stack.topics()).extracting(TopicInstaller.Outcome::topic)
                    .contains("fanout.artifact-events", "fanout.subscriptions", "fanout.dead-letters");

            // When an event is emitted with the CLI
            CliRun emit = CliRun.of("emit", "--bootstrap-server", stack.bootstrapServers(),
                    "--schema-registry-url", stack.registryUrl(),
                    "--artifact", "lib-core:release", "--event-type", "published", "--schema-version", "1.2.0",
                    "--event-id", "evt-1", "--payload", "{\"version\": \"1.2.0\", \"channel\": \"stable\"}",
                    "--header", "traceparent=00-abc-01", "--concurrency-limit", "4");
            assertThat(emit.exitCode()).as(emit.err()).isZero();
            assertThat(emit.out()).contains("emitted event evt-1").contains("fanout.artifact-events");

            // Then consuming from the beginning prints it as JSON, decoded from Avro
            CliRun consume = CliRun.of("consume", "fanout.artifact-events", "--from-beginning", "--max", "1",
                    "--bootstrap-server", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl());
            assertThat(consume.exitCode()).as(consume.err()).isZero();
            JsonNode event = JSON.readTree(consume.out().lines().findFirst().orElseThrow());
            assertThat(event.get("event_id").asText()).isEqualTo("evt-1");
            assertThat(event.get("artifact").asText()).isEqualTo("lib-core:release");
            assertThat(event.get("source_repo").asText()).isEqualTo("lib-core");
            assertThat(JSON.readTree(event.get("payload").asText()).get("channel").asText()).isEqualTo("stable");
            assertThat(event.get("headers").get("traceparent").asText()).isEqualTo("00-abc-01");
            assertThat(event.get("fan_out").get("concurrency_limit").asInt()).isEqualTo(4);
            assertThat(event.get("fan_out").get("wait_for_children").asBoolean()).isTrue();
        }
    }

    @Test
    void anEventFromAJsonFileIsPublished() throws Exception {
        Path file = dataDir.resolve("event.json");
        Files.writeString(file, """
                {"event_id": "evt-file", "artifact": "svc-a:image", "event_type": "built",
                 "schema_version": "2.0.0", "payload": {"targets": ["eu", "us"]},
                 "parent": {"tree_id": "t-9", "run_id": "r-9"}}
                """);
        try (DevStack stack = start()) {
            CliRun emit = CliRun.of("emit", "--file", file.toString(), "--bootstrap-server", stack.bootstrapServers(),
                    "--schema-registry-url", stack.registryUrl());
            assertThat(emit.exitCode()).as(emit.err()).isZero();

            CliRun consume = CliRun.of("consume", "artifact-events", "--from-beginning", "--max", "1",
                    "--with-metadata", "--bootstrap-server", stack.bootstrapServers(),
                    "--schema-registry-url", stack.registryUrl());
            JsonNode line = JSON.readTree(consume.out().lines().findFirst().orElseThrow());
            assertThat(line.get("key").asText()).isEqualTo("svc-a:image");
            assertThat(line.get("value").get("parent").get("run_id").asText()).isEqualTo("r-9");
            assertThat(line.get("value").get("payload").asText()).isEqualTo("{\"targets\":[\"eu\",\"us\"]}");
        }
    }

    @Test
    void aRestartKeepsSubjectsVersionsAndIds() throws Exception {
        JsonNode before;
        try (DevStack stack = start()) {
            assertThat(emit(stack, "evt-a").exitCode()).isZero();
            before = latest(stack.registryUrl(), "fanout.artifact-events-value");
        }
        try (DevStack stack = start()) {
            // The topics are already there, and the registry still knows the schema under the same id
            assertThat(stack.topics()).extracting(TopicInstaller.Outcome::status)
                    .containsOnly(TopicInstaller.Status.EXISTS);
            JsonNode after = latest(stack.registryUrl(), "fanout.artifact-events-value");
            assertThat(after.get("id")).isEqualTo(before.get("id"));
            assertThat(after.get("version")).isEqualTo(before.get("version"));
            // and an event emitted after the restart reuses it rather than registering anew
            assertThat(emit(stack, "evt-b").exitCode()).isZero();
            assertThat(latest(stack.registryUrl(), "fanout.artifact-events-value").get("version"))
                    .isEqualTo(before.get("version"));
        }
    }

    @Test
    void topicsCreateIsIdempotent() {
        try (DevStack stack = start()) {
            CliRun run = CliRun.of("topics", "create", "--bootstrap-server", stack.bootstrapServers(),
                    "--schema-registry-url", stack.registryUrl());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out().lines()).hasSize(13 + 10).allMatch(l -> l.startsWith("exists"));
        }
    }

    @Test
    void theStackRegistersEveryContractSchemaUnderItsSubject() throws Exception {
        try (DevStack stack = start()) {
            assertThat(stack.schemas()).extracting(ContractSchemaInstaller.Outcome::subject).containsExactly(
                    "fanout.artifact-events-value", "fanout.subscriptions-value", "fanout.triggers-value",
                    "fanout.run-status-value", "fanout.fanout-done-value", "fanout.tree-done-value",
                    "fanout.tree-progress-value", "fanout.tree-cancel-value", "fanout.run-cancellations-value",
                    "fanout.repo-limits-value");
            JsonNode triggers = latest(stack.registryUrl(), "fanout.triggers-value");
            assertThat(new Schema.Parser().parse(triggers.get("schema").asText()))
                    .isEqualTo(ContractSchemas.schema("Trigger"));
        }
    }

    @Test
    void topicsCreateRegistersTheSchemasUnderTheTopicPrefix() throws Exception {
        Path conf = dataDir.resolve("other-prefix.properties");
        Files.writeString(conf, "fanout.topic.prefix=other.\n");
        try (DevStack stack = start()) {
            CliRun first = CliRun.of("topics", "create", "--config", conf.toString(),
                    "--bootstrap-server", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl());
            CliRun second = CliRun.of("topics", "create", "--config", conf.toString(),
                    "--bootstrap-server", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl());

            assertThat(first.exitCode()).as(first.err()).isZero();
            // ids are global: the schemas the stack registered for its own prefix keep theirs
            assertThat(first.out()).containsPattern("registered +other.artifact-events-value +id 1, version 1");
            assertThat(first.out().lines().filter(l -> l.startsWith("registered"))).hasSize(10);
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out().lines().filter(l -> l.startsWith("exists"))).hasSize(13 + 10);
            assertThat(second.out()).containsPattern("exists +other.artifact-events-value +id 1, version 1");
            assertThat(latest(stack.registryUrl(), "other.run-status-value").get("version").asInt()).isEqualTo(1);
        }
    }

    @Test
    void topicsCreateNamesARegistryThatDoesNotAnswer() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (DevStack stack = start()) {
            CliRun run = CliRun.of("topics", "create", "--bootstrap-server", stack.bootstrapServers(),
                    "--schema-registry-url", "http://127.0.0.1:" + closed);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("no Schema Registry answered at http://127.0.0.1:" + closed)
                    .contains("--schema-registry-url");
        }
    }

    @Test
    void aSecondStackOnTheSameDataIsRefused() {
        try (DevStack ignored = start()) {
            assertThatThrownBy(this::start)
                    .hasMessageContaining("is in use by another 'fanout dev'")
                    .hasMessageContaining("--data-dir");
        }
    }

    @Test
    void consumeNamesATopicThatWasNeverCreated() throws Exception {
        Path conf = dataDir.resolve("other-prefix.properties");
        Files.writeString(conf, "fanout.topic.prefix=other.\n");
        try (DevStack stack = start()) {
            CliRun run = CliRun.of("consume", "tree-done", "--config", conf.toString(),
                    "--bootstrap-server", stack.bootstrapServers());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("topic other.tree-done does not exist").contains("fanout topics create");
        }
    }

    private static CliRun emit(DevStack stack, String id) {
        return CliRun.of("emit", "--bootstrap-server", stack.bootstrapServers(), "--schema-registry-url",
                stack.registryUrl(), "--artifact", "lib-core:release", "--event-type", "published",
                "--schema-version", "1.0.0", "--event-id", id);
    }

    private static JsonNode latest(String registry, String subject) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registry + "/subjects/" + subject + "/versions/latest")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
