package dev.fanout.query;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.app.FanoutApp;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application (same application id, their own state directories and HTTP ports):
 * every tree is answered by both, whichever owns it, and the list holds the trees of both.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MultiInstanceQueryIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final List<String> TREES = IntStream.range(0, 12).mapToObj(i -> "multi-" + i).toList();

    @TempDir
    Path dir;

    private EmbeddedSchemaRegistry registry;
    private QueryCluster cluster;

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) throws Exception {
        registry = EmbeddedSchemaRegistry.builder().bootstrapServers(broker.bootstrapServers()).port(0)
                .topic("_schemas-multi-query-it").build().start();
        cluster = new QueryCluster(broker.bootstrapServers(), registry.url(), 6);
    }

    @AfterEach
    void stop() {
        cluster.close();
        registry.close();
    }

    @Test
    void everyTreeIsAnsweredByBothInstancesAndTheListHoldsTheTreesOfBoth() throws Exception {
        // Given two instances, both running before any data (so the partitions are shared out at once)
        FanoutApp first = cluster.start(dir.resolve("first"));
        FanoutApp second = cluster.start(dir.resolve("second"));
        List<String> apis = List.of(QueryCluster.baseUrl(first), QueryCluster.baseUrl(second));
        assertThat(apis.get(0)).isNotEqualTo(apis.get(1));
        await().atMost(PATIENCE).until(() -> first.state().isRunningOrRebalancing()
                && cluster.get(apis.get(0), "/readyz").status() == 200
                && cluster.get(apis.get(1), "/readyz").status() == 200);

        // When twelve trees start, spread over six partitions
        cluster.subscribe(subscription("app-a", "on-release").build());
        await().atMost(PATIENCE).until(cluster::isCaughtUp);
        for (String tree : TREES) {
            cluster.emit(event(tree).build());
        }
        await().atMost(PATIENCE).until(cluster::isCaughtUp);

        // Then each instance holds some of them, and together all, once
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<String> own0 = ids(cluster.json(apis.get(0), "/api/trees?limit=1000&local=true"));
            List<String> own1 = ids(cluster.json(apis.get(1), "/api/trees?limit=1000&local=true"));
            assertThat(own0).isNotEmpty();
            assertThat(own1).isNotEmpty().doesNotContainAnyElementsOf(own0);
            Set<String> both = new HashSet<>(own0);
            both.addAll(own1);
            assertThat(both).containsExactlyInAnyOrderElementsOf(TREES);
        });

        // And every tree, its nodes and its root fan-out's picture, is answered by both instances
        for (String tree : TREES) {
            for (String api : apis) {
                JsonNode summary = cluster.json(api, "/api/trees/" + tree);
                assertThat(summary.get("tree_id").asText()).isEqualTo(tree);
                assertThat(summary.get("status").asText()).isEqualTo("RUNNING");
                assertThat(cluster.json(api, "/api/trees/" + tree + "/nodes").get("nodes")).hasSize(1);
                JsonNode graph = cluster.json(api, "/api/trees/" + tree + "/fan-outs/" + tree + "/graph");
                assertThat(graph.get("fan_out").get("fan_out_id").asText()).isEqualTo(tree);
                assertThat(graph.get("groups")).hasSize(1);
            }
        }
        // And the list of either instance holds all twelve, newest first
        for (String api : apis) {
            List<String> listed = ids(cluster.json(api, "/api/trees?status=running&limit=100"));
            assertThat(listed).containsExactlyInAnyOrderElementsOf(TREES);
            List<String> startedAt = new ArrayList<>();
            cluster.json(api, "/api/trees?limit=100").get("trees")
                    .forEach(t -> startedAt.add(t.get("started_at").asText()));
            assertThat(startedAt.stream().map(java.time.Instant::parse).toList())
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        }
        // And an unknown tree is 404 from both (routed to the instance its id would live on)
        for (String api : apis) {
            assertThat(cluster.get(api, "/api/trees/never-started").status()).isEqualTo(404);
        }
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("trees").forEach(tree -> ids.add(tree.get("tree_id").asText()));
        return ids;
    }
}
