package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.app.CaughtUp;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.TreeDone;
import dev.fanout.config.FanoutTopics;
import dev.fanout.contract.TreePartitions;
import dev.fanout.local.DevStack;
import dev.fanout.testkit.DebianPython;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client outside the JVM completes a tree: {@code examples/clients/python/fanout_client.py}, the
 * example of docs/workers.md, run with Debian's Python, {@code python3-confluent-kafka} and
 * {@code python3-avro} against the local stack as {@code fanout dev} starts it. The script registers
 * nothing: it writes with the latest version of each subject, which creating the topics registered.
 */
class PythonClientIT {

    static final Path SCRIPT = Path.of("..", "examples", "clients", "python", "fanout_client.py");
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void aPythonWorkerCompletesATreeWithTheShippedSchemasAndRegistersNothing() throws Exception {
        DebianPython.require(List.of("confluent_kafka", "avro.io"), List.of("python3-confluent-kafka", "python3-avro"));
        try (DevStack stack = DevStack.start(new DevStack.Options(dataDir, "127.0.0.1", 0, 0, 2, -1))) {
            FanoutTopics topics = FanoutTopics.from(stack.settings());

            // Given a subscription published from Python, indexed by the matcher
            DebianPython.Result subscribe = script(stack, "subscribe", "--repo", "py-worker", "--artifact", "py-lib:release",
                    "--workflow", "build");
            assertThat(subscribe.exitCode()).as(subscribe.output()).isZero();
            assertThat(subscribe.output()).contains("published subscription py-worker/on-release");
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> CaughtUp.isCaughtUp(stack.bootstrapServers(), "fanout", topics));

            // When the Python client produces an event and works the triggers of py-worker
            DebianPython.Result run = script(stack, "run", "--repo", "py-worker", "--artifact", "py-lib:release",
                    "--event-id", "py-evt-1", "--timeout", "120");

            // Then it reports the run and reads the tree's TreeDone
            assertThat(run.exitCode()).as(run.output()).isZero();
            System.out.println(run.output());
            assertThat(run.output()) // as docs/workers.md shows it
                    .contains("looked up fanout.artifact-events-value: schema id 1, version 1")
                    .contains("produced ArtifactEvent py-evt-1 to fanout.artifact-events")
                    .contains("looked up fanout.run-status-value: schema id 4, version 1")
                    .contains("build attempt 1 inputs {\"version\": \"\\\"1.0.0\\\"\"}")
                    .contains("reported STARTED, then SUCCEEDED with output {\"built\": \"1.0.0\"}")
                    .contains("tree py-evt-1 SUCCEEDED: total=1 succeeded=1 failed=0");
            TreeDone done = treeDone(stack, topics, "py-evt-1");
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(done.getCounts().getSucceeded()).isEqualTo(1);

            // and its reports went to the tree's run-status partition, where the coordinator reads them at once
            List<ConsumerRecord<byte[], byte[]>> reports = CaughtUp.readAll(stack.bootstrapServers(), topics.runStatus().name());
            assertThat(reports).hasSize(2);
            int partitions = partitionCount(stack, topics.runStatus().name());
            assertThat(reports).extracting(ConsumerRecord::partition)
                    .containsOnly(TreePartitions.of("py-evt-1", partitions));

            // and the subjects it wrote to hold only the version that creating the topics registered
            for (String subject : List.of("fanout.subscriptions-value", "fanout.artifact-events-value",
                    "fanout.run-status-value")) {
                assertThat(versions(stack.registryUrl(), subject)).as(subject).containsExactly(1);
            }
        }
    }

    @Test
    void thePythonClientPicksATreesPartitionAsFanoutDoes() throws Exception {
        DebianPython.require(List.of("confluent_kafka", "avro.io"), List.of("python3-confluent-kafka", "python3-avro"));
        // Given tree ids of every length modulo 4, non-ASCII ones among them, and several partition counts
        List<String> treeIds = List.of("", "a", "ab", "abc", "py-evt-1", "release-2026-12-07", "évènement-ß-木", "t-"
                + "x".repeat(257));
        List<Integer> counts = List.of(1, 2, 3, 12, 50);
        Path input = dataDir.resolve("trees.json");
        Files.writeString(input, JSON.writeValueAsString(Map.of("ids", treeIds, "counts", counts)), StandardCharsets.UTF_8);
        Path check = dataDir.resolve("partitions.py");
        Files.writeString(check, String.join("\n",
                "import json, sys",
                "sys.path.insert(0, sys.argv[1])",
                "import fanout_client",
                "with open(sys.argv[2], encoding='utf-8') as f:",
                "    trees = json.load(f)",
                "print(json.dumps([[fanout_client.tree_partition(i, n) for n in trees['counts']] for i in trees['ids']]))",
                ""));

        // When the Python client computes their partitions
        DebianPython.Result result = DebianPython.run(PATIENCE, check,
                List.of(SCRIPT.getParent().toAbsolutePath().toString(), input.toString()));

        // Then each is the partition Fanout's coordinator reads that tree's reports from
        assertThat(result.exitCode()).as(result.output()).isZero();
        List<List<Integer>> expected = treeIds.stream()
                .map(id -> counts.stream().map(n -> TreePartitions.of(id, n)).toList()).toList();
        assertThat(JSON.readValue(result.output().strip(), new TypeReference<List<List<Integer>>>() { }))
                .isEqualTo(expected);
    }

    private static int partitionCount(DevStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    private static DebianPython.Result script(DevStack stack, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.registryUrl(), "--topic-prefix", "fanout."));
        return DebianPython.run(PATIENCE.plusSeconds(60), SCRIPT, all);
    }

    private static TreeDone treeDone(DevStack stack, FanoutTopics topics, String treeId) {
        var deserializer = topics.treeDone().valueSerde().deserializer();
        return CaughtUp.readAll(stack.bootstrapServers(), topics.treeDone().name()).stream()
                .map(r -> deserializer.deserialize(r.topic(), r.value()))
                .filter(d -> d.getTreeId().equals(treeId)).findFirst()
                .orElseThrow(() -> new AssertionError("no TreeDone for " + treeId));
    }

    private static List<Integer> versions(String registry, String subject) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(registry + "/subjects/" + subject + "/versions")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Integer> versions = new ArrayList<>();
        for (JsonNode v : JSON.readTree(response.body())) {
            versions.add(v.asInt());
        }
        return versions;
    }
}
