package dev.fanout.query;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.app.FanoutApp;
import dev.fanout.avro.RunState;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The query API of a Fanout instance on a real broker and registry, driven by simulated workers. */
@ExtendWith(KafkaBrokerExtension.class)
class QueryApiIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    static Path stateDir;

    private static EmbeddedSchemaRegistry registry;
    private static QueryCluster cluster;
    private static String api;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) throws Exception {
        registry = EmbeddedSchemaRegistry.builder().bootstrapServers(broker.bootstrapServers()).port(0)
                .topic("_schemas-query-it").build().start();
        cluster = new QueryCluster(broker.bootstrapServers(), registry.url(), 3);
        FanoutApp app = cluster.start(stateDir);
        api = QueryCluster.baseUrl(app);
        cluster.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        cluster.subscribe(subscription("app-b", "on-release").build());
        cluster.subscribe(subscription("app-c", "on-image").setArtifact("app-a:image").build());
        cluster.limit("app-q", 1);
        cluster.subscribe(subscription("app-q", "per-item").setArtifact("quota-lib:release")
                .setForeach("event.payload.items").build());
        await().atMost(PATIENCE).until(cluster::isCaughtUp);
    }

    @AfterAll
    static void stop() {
        cluster.close();
        registry.close();
    }

    @Test
    void aTreeShowsRunningWhileWorkersAreOnItThenDoneWithTheCountsOfItsTreeDone() throws Exception {
        // Given a root event matching app-a over two targets and app-b
        cluster.emit(event("it-tree").build());
        List<Trigger> triggers = awaitTriggers("it-tree", 3);

        // Then the API shows it RUNNING with its three children
        JsonNode running = cluster.json(api, "/api/trees/it-tree");
        assertThat(running.get("status").asText()).isEqualTo("RUNNING");
        assertThat(running.get("counts").get("total").asInt()).isEqualTo(3);
        assertThat(cluster.json(api, "/api/trees/it-tree/nodes").get("nodes")).hasSize(3);

        // When the simulated workers start and end them, one failing
        for (Trigger trigger : triggers) {
            cluster.report(trigger, RunState.STARTED);
        }
        await().atMost(PATIENCE).until(() -> statuses("it-tree").stream().allMatch("RUNNING"::equals));
        cluster.report(triggers.get(0), RunState.FAILED);
        cluster.report(triggers.get(1), RunState.SUCCEEDED);
        cluster.report(triggers.get(2), RunState.SUCCEEDED);

        // Then the API shows it done with the status and counts of its TreeDone
        TreeDone done = await().atMost(PATIENCE).until(() -> cluster.treeDone().stream()
                .filter(d -> d.getTreeId().equals("it-tree")).findFirst().orElse(null), d -> d != null);
        JsonNode summary = cluster.json(api, "/api/trees/it-tree");
        assertThat(summary.get("status").asText()).isEqualTo(done.getStatus().name()).isEqualTo("FAILED");
        JsonNode counts = summary.get("counts");
        assertThat(List.of(counts.get("total").asLong(), counts.get("succeeded").asLong(), counts.get("failed").asLong(),
                counts.get("timed_out").asLong(), counts.get("skipped").asLong(), counts.get("retries").asLong()))
                .containsExactly(done.getCounts().getTotal(), done.getCounts().getSucceeded(),
                        done.getCounts().getFailed(), done.getCounts().getTimedOut(), done.getCounts().getSkipped(),
                        done.getCounts().getRetries());
        assertThat(summary.get("finished_at").asText()).isEqualTo(done.getFinishedAt().toString());
        assertThat(statuses("it-tree")).containsExactlyInAnyOrder("FAILED", "SUCCEEDED", "SUCCEEDED");
        assertThat(ids(cluster.json(api, "/api/trees?status=done"))).contains("it-tree");
    }

    @Test
    void theChildrenOfATwoThousandChildFanOutArePagedInPlanOrderNoneTwiceNoneMissing() throws Exception {
        // Given an event whose foreach yields 2,000 targets, all planned
        String targets = IntStream.range(0, 2_000).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
        cluster.emit(event("it-wide").setPayload("{\"targets\":[" + targets + "]}").build());
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            QueryCluster.Answer answer = cluster.get(api, "/api/trees/it-wide");
            return answer.status() == 200 && answer.json().get("counts").get("total").asInt() == 2_001;
        });

        // When its root children are read 250 at a time, following next_cursor
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = cluster.json(api, "/api/trees/it-wide/nodes?limit=250"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("nodes").forEach(n -> order.add(n.get("subscription_id").asText() + "#"
                    + (n.get("item_index").isNull() ? "-" : n.get("item_index").asText())));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);

        // Then app-b (no index) comes first, then app-a's 2,000 items by index, each once
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 2_000).forEach(i -> expected.add("app-a/per-target#" + i));
        expected.add(0, "app-b/on-release#-");
        assertThat(order).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(9);
    }

    @Test
    void metricsAreInPrometheusFormatWithTheCoordinatorsStreamsAndJvmMetrics() throws Exception {
        // When /metrics is scraped, then the coordinator's, Kafka Streams' and the JVM's metrics are there
        QueryCluster.Answer metrics = cluster.get(api, "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body()).contains("kafka_fanout_tree_trees_in_flight{", "kafka_fanout_tree_fan_outs_in_flight{",
                "kafka_fanout_tree_queued_children{", "kafka_fanout_tree_timers_pending{",
                "kafka_fanout_tree_tree_done_lag_ms_avg{", "kafka_fanout_tree_tree_done_lag_ms_max{",
                "kafka_fanout_matcher_index_entries_scanned_total{", "kafka_stream_thread_process_rate{",
                "jvm_memory_used_bytes{", "process_cpu_usage");
    }

    @Test
    void everyRequestOfTheDocsAnswersWithTheDocumentedFieldsAndErrors() throws Exception {
        // Given the tree of docs/query-api.md: ev-1 over app-b and app-a's two targets, the first of which
        // started and emitted ev-2, which app-c takes
        cluster.emit(event("ev-1").build());
        Trigger a0 = awaitTriggers("ev-1", 3).stream().filter(t -> Integer.valueOf(0).equals(t.getItemIndex()))
                .findFirst().orElseThrow();
        cluster.report(a0, RunState.STARTED);
        cluster.emit(childEvent("ev-2", "app-a:image", "ev-1", a0.getRunId()).build());
        awaitTriggers("ev-1", 4);
        // and app-q's one slot held by ev-4's run, ev-5's run waiting for it
        cluster.emit(event("ev-4").setArtifact("quota-lib:release").setPayload("{\"items\":[1]}").build());
        awaitTriggers("ev-4", 1);
        cluster.emit(event("ev-5").setArtifact("quota-lib:release").setPayload("{\"items\":[1]}").build());
        await().atMost(PATIENCE).until(() -> cluster.json(api, "/api/repos/app-q/quota").get("waiting").asInt() == 1);
        await().atMost(PATIENCE).until(cluster::isCaughtUp);

        // When every documented request is sent, then each answers as documented
        int replayed = QueryDocExamples.replay(Path.of("..", "docs", "query-api.md"), api, cluster);
        assertThat(replayed).isGreaterThanOrEqualTo(10);
    }

    @Test
    void aCancelOfARunningTreeLandsOnTheTreeCancelTopicAndAnUnknownTreeWritesNothing() throws Exception {
        // Given a running tree
        cluster.emit(event("it-cancel").build());
        awaitTriggers("it-cancel", 3);

        // When it is cancelled over HTTP, and an unknown tree too
        QueryCluster.Answer accepted = cluster.post(api, "/api/trees/it-cancel/cancel",
                "{\"reason\": \"wrong version\", \"requested_by\": \"alice\"}");
        QueryCluster.Answer unknown = cluster.post(api, "/api/trees/it-no-such-tree/cancel", null);

        // Then the first is accepted and its TreeCancel is on the topic, keyed by the tree id
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().get("cancel_requested").asBoolean()).isTrue();
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        var cancels = cluster.treeCancels();
        assertThat(cancels).filteredOn(c -> c.getKey().equals("it-cancel")).singleElement().satisfies(c -> {
            assertThat(c.getValue().getTreeId()).isEqualTo("it-cancel");
            assertThat(c.getValue().getReason()).isEqualTo("wrong version");
            assertThat(c.getValue().getRequestedBy()).isEqualTo("alice");
        });
        assertThat(cancels).noneMatch(c -> c.getKey().equals("it-no-such-tree"));
    }

    @Test
    void healthAndReadinessAnswer() throws Exception {
        assertThat(cluster.json(api, "/healthz").get("status").asText()).isEqualTo("UP");
        assertThat(cluster.get(api, "/readyz").status()).isEqualTo(200);
    }

    private List<Trigger> awaitTriggers(String treeId, int count) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> cluster.triggers().stream()
                .filter(t -> t.getTreeId().equals(treeId)).toList(), triggers -> triggers.size() == count);
    }

    private List<String> statuses(String treeId) throws Exception {
        List<String> statuses = new ArrayList<>();
        cluster.json(api, "/api/trees/" + treeId + "/nodes").get("nodes")
                .forEach(n -> statuses.add(n.get("status").asText()));
        return statuses;
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("trees").forEach(tree -> ids.add(tree.get("tree_id").asText()));
        return ids;
    }
}
