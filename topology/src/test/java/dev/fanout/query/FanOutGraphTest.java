package dev.fanout.query;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.StopCause;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/trees/{id}/fan-outs/{fanOutId}/graph} on the production topology in a test driver. */
class FanOutGraphTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;
    private DriverQueries api;
    private DriverStores stores;
    private final List<Trigger> seen = new ArrayList<>();

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
        api = new DriverQueries(fanout);
        stores = new DriverStores(fanout);
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void childrenAreGroupedBySubscriptionWithTheirStatusesLevelsAndTheEdgesBetweenGroupsPresent() {
        // Given build over 3 targets, test after build, deploy after test or a subscription that did not match
        fanout.subscribe(subscription("app-a", "build").setForeach("event.payload.targets").build());
        fanout.subscribe(subscription("app-b", "test").build());
        fanout.subscribe(subscription("app-c", "deploy").build());
        fanout.emit(event("e1").setPayload("{\"targets\":[\"linux\",\"mac\",\"win\"]}").build());
        List<Trigger> builds = triggersOf("app-a/build");
        stores.run(builds.get(0).getRunId(), run -> run.setStatus(RunNodeStatus.SUCCEEDED));
        stores.run(builds.get(1).getRunId(), run -> run.setStatus(RunNodeStatus.RUNNING));
        stores.run(triggersOf("app-b/test").get(0).getRunId(), run -> run.setStatus(RunNodeStatus.WAITING)
                .setDependsOn(new DependsOn(List.of("app-a/build"), DependencyMode.ALL, DependencyCondition.SUCCEEDED)));
        stores.run(triggersOf("app-c/deploy").get(0).getRunId(), run -> run.setStatus(RunNodeStatus.WAITING)
                .setDependsOn(new DependsOn(List.of("app-b/test", "app-z/absent"), DependencyMode.ANY,
                        DependencyCondition.DONE)));
        stores.fanOut("e1", fanOut -> fanOut.setState(FanOutState.RUNNING).setWaiting(2));

        // When its graph is read
        JsonNode graph = api.json("/api/trees/e1/fan-outs/e1/graph");

        // Then three groups, left to right by level, build one node over its three items
        assertThat(graph.get("tree_id").asText()).isEqualTo("e1");
        assertThat(graph.get("fan_out").get("fan_out_id").asText()).isEqualTo("e1");
        assertThat(graph.get("fan_out").get("state").asText()).isEqualTo("RUNNING");
        assertThat(graph.get("fan_out").get("stop").isNull()).isTrue();
        assertThat(graph.get("fan_out").get("waiting").asInt()).isEqualTo(2);
        List<JsonNode> groups = list(graph.get("groups"));
        assertThat(groups).extracting(g -> g.get("subscription_id").asText() + "@" + g.get("level").asInt())
                .containsExactly("app-a/build@0", "app-b/test@1", "app-c/deploy@2");
        JsonNode build = groups.get(0);
        assertThat(build.get("items").asInt()).isEqualTo(3);
        assertThat(build.get("foreach").asBoolean()).isTrue();
        assertThat(build.get("statuses").get("SUCCEEDED").asInt()).isEqualTo(1);
        assertThat(build.get("statuses").get("RUNNING").asInt()).isEqualTo(1);
        assertThat(build.get("statuses").get("TRIGGERED").asInt()).isEqualTo(1);
        assertThat(build.get("depends_on").isNull()).isTrue();
        JsonNode deploy = groups.get(2);
        assertThat(deploy.get("foreach").asBoolean()).isFalse();
        assertThat(deploy.get("statuses").get("WAITING").asInt()).isEqualTo(1);
        assertThat(deploy.get("depends_on").get("mode").asText()).isEqualTo("ANY");
        assertThat(deploy.get("in_cycle").asBoolean()).isFalse();
        // and edges only between groups present, from the dependency to the dependent
        assertThat(list(graph.get("edges"))).extracting(e -> e.get("from").asText() + ">" + e.get("to").asText()
                        + " " + e.get("mode").asText() + " " + e.get("condition").asText())
                .containsExactly("app-a/build>app-b/test ALL SUCCEEDED", "app-b/test>app-c/deploy ANY DONE");
    }

    @Test
    void groupsOnACycleAreAtLevelZeroAndFlaggedAndWhatDependsOnThemComesAfter() {
        // Given x and y waiting for each other, and z waiting for x
        fanout.subscribe(subscription("app-x", "x").build());
        fanout.subscribe(subscription("app-y", "y").build());
        fanout.subscribe(subscription("app-z", "z").build());
        fanout.emit(event("e1").build());
        dependsOn("app-x/x", "app-y/y");
        dependsOn("app-y/y", "app-x/x");
        dependsOn("app-z/z", "app-x/x");

        // When its graph is read
        List<JsonNode> groups = list(api.json("/api/trees/e1/fan-outs/e1/graph").get("groups"));

        // Then x and y are on a cycle at level 0, z at level 1
        assertThat(groups).extracting(g -> g.get("subscription_id").asText() + "@" + g.get("level").asInt() + " "
                        + g.get("in_cycle").asBoolean())
                .containsExactly("app-x/x@0 true", "app-y/y@0 true", "app-z/z@1 false");
    }

    @Test
    void aNestedFanOutsGraphHasItsOwnChildrenOnlyAndShowsWhyItStopped() {
        // Given a root run that emitted an event two subscriptions take, its fan-out stopped by fail_fast
        fanout.subscribe(subscription("app-a", "build").build());
        fanout.subscribe(subscription("app-c", "deploy").setArtifact("app-a:image").build());
        fanout.subscribe(subscription("app-d", "verify").setArtifact("app-a:image").build());
        fanout.emit(event("e1").build());
        Trigger build = fanout.triggers().get(0);
        fanout.emit(childEvent("e2", "app-a:image", "e1", build.getRunId()).build());
        stores.fanOut("e2", fanOut -> fanOut.setStop(StopCause.FAIL_FAST));

        // When the nested fan-out's graph is read
        JsonNode graph = api.json("/api/trees/e1/fan-outs/e2/graph");

        // Then it lists its own two groups, and says it stopped for fail_fast
        assertThat(list(graph.get("groups"))).extracting(g -> g.get("subscription_id").asText())
                .containsExactly("app-c/deploy", "app-d/verify");
        assertThat(graph.get("fan_out").get("parent_run_id").asText()).isEqualTo(build.getRunId());
        assertThat(graph.get("fan_out").get("artifact").asText()).isEqualTo("app-a:image");
        assertThat(graph.get("fan_out").get("stop").asText()).isEqualTo("FAIL_FAST");
        assertThat(graph.get("edges")).isEmpty();
        // and the root's graph does not count them
        assertThat(list(api.json("/api/trees/e1/fan-outs/e1/graph").get("groups")))
                .extracting(g -> g.get("subscription_id").asText()).containsExactly("app-a/build");
    }

    @Test
    void aWideForeachIsOneGroupCountingEveryChild() {
        // Given one subscription over 2,500 targets
        String targets = IntStream.range(0, 2_500).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
        fanout.subscribe(subscription("app-w", "item").setForeach("event.payload.targets").build());
        fanout.emit(event("wide").setPayload("{\"targets\":[" + targets + "]}").build());

        // When its graph is read, then it is one group of 2,500 items
        List<JsonNode> groups = list(api.json("/api/trees/wide/fan-outs/wide/graph").get("groups"));
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).get("items").asInt()).isEqualTo(2_500);
        assertThat(groups.get(0).get("statuses").get("TRIGGERED").asInt()).isEqualTo(2_500);
    }

    @Test
    void anUnknownFanOutOrOneOfAnotherTreeIsNotFound() {
        // Given two trees
        fanout.subscribe(subscription("app-a", "build").build());
        fanout.emit(event("e1").build());
        fanout.emit(event("e9").build());

        // Then a fan-out id that is none, or another tree's, answers 404 naming it
        ApiResponse unknown = api.get("/api/trees/e1/fan-outs/nope/graph");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("fan-out 'nope' is not a fan-out of tree 'e1'");
        assertThat(api.get("/api/trees/e1/fan-outs/e9/graph").status()).isEqualTo(404);
        assertThat(api.get("/api/trees/e404/fan-outs/e404/graph").status()).isEqualTo(404);
        assertThat(api.get("/api/trees/e1/fan-outs/e1/graph?limit=3").status()).isEqualTo(400);
    }

    @Test
    void anEmptyOrBadlyEncodedFanOutIdIsABadRequestThatSaysWhatToPass() {
        fanout.subscribe(subscription("app-a", "build").build());
        fanout.emit(event("e1").build());

        ApiResponse empty = api.get("/api/trees/e1/fan-outs//graph");
        ApiResponse badlyEncoded = api.get("/api/trees/e1/fan-outs/%zz/graph");

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.text()).contains("fan-out id is empty").contains("fan_out_id");
        assertThat(badlyEncoded.status()).isEqualTo(400);
        assertThat(badlyEncoded.text()).contains("fan-out id '%zz' is not validly percent-encoded");
    }

    private void dependsOn(String subscriptionId, String dependency) {
        stores.run(triggersOf(subscriptionId).get(0).getRunId(), run -> run.setStatus(RunNodeStatus.WAITING)
                .setDependsOn(new DependsOn(List.of(dependency), DependencyMode.ALL, DependencyCondition.SUCCEEDED)));
    }

    /** The triggers of one subscription so far, by item index (the driver hands each trigger out once). */
    private List<Trigger> triggersOf(String subscriptionId) {
        seen.addAll(fanout.triggers());
        return seen.stream()
                .filter(t -> t.getSubscriptionId().equals(subscriptionId))
                .sorted(java.util.Comparator.comparing(t -> t.getItemIndex() == null ? -1 : t.getItemIndex()))
                .toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }
}
