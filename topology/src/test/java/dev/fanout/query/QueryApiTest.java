package dev.fanout.query;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.Cancellation;
import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.RunProgress;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query API's routes and read model on the production topology in a test driver. */
class QueryApiTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;
    private DriverQueries api;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
        api = new DriverQueries(fanout);
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void aTreeIsRunningWithItsCountsThenDoneWithTheStatusCountsAndTimesOfItsTreeDone() {
        // Given app-a over two targets and app-b, and a root event
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.subscribe(subscription("app-b", "on-release").build());
        fanout.emit(event("e1").build());
        List<Trigger> triggers = fanout.triggers();

        // When it is asked for while the runs are out
        JsonNode running = api.json("/api/trees/e1");

        // Then it is RUNNING with three children running and no end
        assertThat(running.get("status").asText()).isEqualTo("RUNNING");
        assertThat(running.get("artifact").asText()).isEqualTo("lib-core:release");
        assertThat(running.get("counts").get("total").asLong()).isEqualTo(3);
        assertThat(running.get("running").asLong()).isEqualTo(3);
        assertThat(running.get("open_fan_outs").asInt()).isEqualTo(1);
        assertThat(running.get("finished_at").isNull()).isTrue();

        // When one fails and the others succeed, 5 s later
        fanout.advance(Duration.ofSeconds(5));
        fanout.report(status(triggers.get(0), RunState.FAILED).setError("disk full").build());
        triggers.subList(1, 3).forEach(t -> fanout.report(status(t, RunState.SUCCEEDED).build()));
        TreeDone done = fanout.treeDone().get(0).value();
        JsonNode finished = api.json("/api/trees/e1");

        // Then status, counts and times are those of its TreeDone, with the failure listed
        assertThat(finished.get("status").asText()).isEqualTo(done.getStatus().name()).isEqualTo("FAILED");
        assertThat(finished.get("counts").get("total").asLong()).isEqualTo(done.getCounts().getTotal());
        assertThat(finished.get("counts").get("succeeded").asLong()).isEqualTo(done.getCounts().getSucceeded());
        assertThat(finished.get("counts").get("failed").asLong()).isEqualTo(done.getCounts().getFailed()).isEqualTo(1);
        assertThat(finished.get("started_at").asText()).isEqualTo(done.getStartedAt().toString());
        assertThat(finished.get("finished_at").asText()).isEqualTo(done.getFinishedAt().toString());
        assertThat(finished.get("duration_ms").asLong()).isEqualTo(5_000);
        assertThat(finished.get("running").asLong()).isZero();
        assertThat(finished.get("open_fan_outs").asInt()).isZero();
        assertThat(finished.get("failures").get(0).get("run_id").asText()).isEqualTo(triggers.get(0).getRunId());
        assertThat(finished.get("failures").get(0).get("error").asText()).isEqualTo("disk full");
    }

    @Test
    void nodesAreListedInPlanOrderWithTheirStateAndTheAggregateOfTheFanOutsTheyEmitted() {
        // Given app-b and app-a over two targets (plan order: app-b without index first, then a's items by index)
        fanout.subscribe(subscription("app-b", "on-release").build());
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.subscribe(subscription("app-c", "on-image").setArtifact("app-a:image").build());
        fanout.emit(event("e1").build());
        List<Trigger> triggers = fanout.triggers();
        Trigger a0 = triggers.stream().filter(t -> Integer.valueOf(0).equals(t.getItemIndex())).findFirst().orElseThrow();

        // When a0 starts and emits an event that app-c takes
        fanout.report(status(a0, RunState.STARTED).build());
        fanout.emit(childEvent("e2", "app-a:image", "e1", a0.getRunId()).build());
        Trigger c = fanout.triggers().get(0);

        // Then the root's children are app-b, a0, a1 in plan order, a0 RUNNING with one fan-out of one child
        JsonNode page = api.json("/api/trees/e1/nodes");
        assertThat(page.get("tree_id").asText()).isEqualTo("e1");
        assertThat(page.get("parent").asText()).isEqualTo("e1");
        assertThat(page.get("next_cursor").isNull()).isTrue();
        List<JsonNode> nodes = list(page.get("nodes"));
        assertThat(nodes).extracting(n -> n.get("subscription_id").asText() + "#" + n.get("item_index").asText())
                .containsExactly("app-b/on-release#null", "app-a/per-target#0", "app-a/per-target#1");
        JsonNode a0Node = nodes.get(1);
        assertThat(a0Node.get("run_id").asText()).isEqualTo(a0.getRunId());
        assertThat(a0Node.get("status").asText()).isEqualTo("RUNNING");
        assertThat(a0Node.get("depth").asInt()).isEqualTo(1);
        assertThat(a0Node.get("started_at").asText()).isEqualTo(fanout.now().toString());
        assertThat(a0Node.get("children").get("fan_outs").asInt()).isEqualTo(1);
        assertThat(a0Node.get("children").get("total").asInt()).isEqualTo(1);
        assertThat(a0Node.get("children").get("status").asText()).isEqualTo("RUNNING");
        assertThat(nodes.get(0).get("children").isNull()).isTrue();

        // When c succeeds, the parent's page shows it done, and a0's aggregate is SUCCEEDED
        fanout.report(status(c, RunState.SUCCEEDED).build());
        JsonNode below = api.json("/api/trees/e1/nodes?parent=" + a0.getRunId());
        assertThat(below.get("parent").asText()).isEqualTo(a0.getRunId());
        JsonNode cNode = below.get("nodes").get(0);
        assertThat(cNode.get("run_id").asText()).isEqualTo(c.getRunId());
        assertThat(cNode.get("parent_run_id").asText()).isEqualTo(a0.getRunId());
        assertThat(cNode.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(cNode.get("depth").asInt()).isEqualTo(2);
        assertThat(cNode.get("finished_at").isNull()).isFalse();
        JsonNode aggregate = api.json("/api/trees/e1/nodes?limit=2").get("nodes").get(1).get("children");
        assertThat(aggregate.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(aggregate.get("done").asInt()).isEqualTo(1);
        assertThat(aggregate.get("counts").get("succeeded").asInt()).isEqualTo(1);
        // and the tree id as parent is the root, as is no parent
        assertThat(api.json("/api/trees/e1/nodes?parent=e1").get("nodes")).hasSize(3);
    }

    @Test
    void aFailedRunWaitingForItsRetryIsQueuedForItsNextAttemptWithTheError() {
        // Given a subscription tried twice
        fanout.subscribe(subscription("app-a", "on-release").setRetry(new RetryPolicy(2, 1_000L, 1.0)).build());
        fanout.emit(event("e1").build());
        Trigger first = fanout.triggers().get(0);

        // When its first attempt fails
        fanout.report(status(first, RunState.FAILED).setError("flaky network").build());

        // Then it is QUEUED for attempt 2, with the error of attempt 1; after the backoff TRIGGERED
        JsonNode node = api.json("/api/trees/e1/nodes").get("nodes").get(0);
        assertThat(node.get("status").asText()).isEqualTo("QUEUED");
        assertThat(node.get("attempt").asInt()).isEqualTo(2);
        assertThat(node.get("error").asText()).isEqualTo("flaky network");
        fanout.advance(Duration.ofMillis(1_200));
        JsonNode retried = api.json("/api/trees/e1/nodes").get("nodes").get(0);
        assertThat(retried.get("status").asText()).isEqualTo("TRIGGERED");
        assertThat(retried.get("attempt").asInt()).isEqualTo(2);
        assertThat(api.json("/api/trees/e1").get("counts").get("retries").asInt()).isEqualTo(1);
    }

    @Test
    void twoThousandChildrenArePagedWithCursorsInPlanOrderNoneTwiceNoneMissing() {
        // Given one subscription over 2,000 targets
        String targets = IntStream.range(0, 2_000).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.emit(event("wide").setPayload("{\"targets\":[" + targets + "]}").build());
        assertThat(fanout.triggers()).hasSize(2_000);

        // When its children are read 300 at a time, following next_cursor
        List<Integer> indexes = new ArrayList<>();
        List<String> runIds = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.json("/api/trees/wide/nodes?limit=300" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("nodes").forEach(n -> {
                indexes.add(n.get("item_index").asInt());
                runIds.add(n.get("run_id").asText());
            });
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);

        // Then 7 pages give each child once, by item index
        assertThat(pages).isEqualTo(7);
        assertThat(indexes).containsExactlyElementsOf(IntStream.range(0, 2_000).boxed().toList());
        assertThat(runIds).doesNotHaveDuplicates().hasSize(2_000);
    }

    @Test
    void treesAreListedNewestFirstAndFilteredByStatus() {
        // Given three trees started a second apart, the middle one done (it matches nothing)
        fanout.subscribe(subscription("app-a", "on-release").setEvents(List.of("published")).build());
        fanout.emit(event("t1").build());
        fanout.advance(Duration.ofSeconds(1));
        fanout.emit(event("t2").setEventType("nobody-listens").build());
        fanout.advance(Duration.ofSeconds(1));
        fanout.emit(event("t3").build());

        // When listed, then newest first; running and done filter; limit cuts
        assertThat(ids(api.json("/api/trees"))).containsExactly("t3", "t2", "t1");
        assertThat(ids(api.json("/api/trees?status=running"))).containsExactly("t3", "t1");
        assertThat(ids(api.json("/api/trees?status=done"))).containsExactly("t2");
        assertThat(ids(api.json("/api/trees?status=all&limit=2"))).containsExactly("t3", "t2");
        assertThat(api.json("/api/trees?status=done").get("trees").get(0).get("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void healthAndReadinessAnswerUp() {
        assertThat(api.json("/healthz").get("status").asText()).isEqualTo("UP");
        assertThat(api.get("/readyz").status()).isEqualTo(200);
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("trees").forEach(tree -> ids.add(tree.get("tree_id").asText()));
        return ids;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }

    @Test
    void aNodeShowsItsLastProgressWithDetailsAsJsonAndWhenItCame() {
        // Given a run whose worker reported progress twice, 2 s and 4 s after its trigger
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.emit(event("e1").build());
        Trigger trigger = fanout.triggers().get(0);
        assertThat(list(api.json("/api/trees/e1/nodes").get("nodes")).get(0).get("progress").isNull()).isTrue();
        fanout.advance(Duration.ofSeconds(2));
        fanout.report(status(trigger, RunState.STARTED).setProgress(new RunProgress("cloning", null)).build());
        fanout.advance(Duration.ofSeconds(2));
        fanout.report(status(trigger, RunState.STARTED)
                .setProgress(new RunProgress("built 2 of 3 targets", "{\"done\":2,\"of\":3}")).build());

        // When its node is read
        JsonNode progress = list(api.json("/api/trees/e1/nodes").get("nodes")).get(0).get("progress");

        // Then it shows the last one: message, details as JSON, the coordinator's time and the attempt
        assertThat(progress.get("message").asText()).isEqualTo("built 2 of 3 targets");
        assertThat(progress.get("details").get("done").asInt()).isEqualTo(2);
        assertThat(progress.get("at").asText()).isEqualTo(fanout.now().toString());
        assertThat(progress.get("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void aNodeShowsTheOutputItsRunEndedWithWhichAFanOutDoneMayHaveCut() {
        // Given two runs: one ended with an output, the other is still out
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.subscribe(subscription("app-b", "on-release").build());
        fanout.emit(event("e1").build());
        List<Trigger> triggers = fanout.triggers();
        Trigger a = triggers.stream().filter(t -> t.getRepo().equals("app-a")).findFirst().orElseThrow();
        fanout.report(status(a, RunState.SUCCEEDED).setOutput("{\"image\":\"app-a:1.2.0\"}").build());

        // When their nodes are read
        List<JsonNode> nodes = list(api.json("/api/trees/e1/nodes").get("nodes"));

        // Then the ended run shows its output as JSON, the other none yet
        JsonNode ended = nodes.stream().filter(n -> n.get("repo").asText().equals("app-a")).findFirst().orElseThrow();
        JsonNode out = nodes.stream().filter(n -> n.get("repo").asText().equals("app-b")).findFirst().orElseThrow();
        assertThat(ended.get("output").get("image").asText()).isEqualTo("app-a:1.2.0");
        assertThat(out.get("output").isNull()).isTrue();
    }

    @Test
    void aWaitingRunShowsWhatItWaitsForAndACompensatedRunItsCompensationRun() {
        // Given build and deploy; deploy waits for build, build succeeded and is being undone by "rollback"
        fanout.subscribe(subscription("app-a", "build").build());
        fanout.subscribe(subscription("app-b", "deploy").build());
        fanout.emit(event("e1").build());
        List<Trigger> triggers = fanout.triggers();
        Trigger build = triggers.stream().filter(t -> t.getRepo().equals("app-a")).findFirst().orElseThrow();
        Trigger deploy = triggers.stream().filter(t -> t.getRepo().equals("app-b")).findFirst().orElseThrow();
        DriverStores stores = new DriverStores(fanout);
        DependsOn afterBuild = new DependsOn(List.of("app-a/build"), DependencyMode.ALL, DependencyCondition.SUCCEEDED);
        stores.run(deploy.getRunId(), run -> run.setStatus(RunNodeStatus.WAITING).setDependsOn(afterBuild));
        RunNode undone = stores.run(build.getRunId(), run -> run.setStatus(RunNodeStatus.SUCCEEDED)
                .setCompensateWorkflow("rollback").setCompensationRunId("r-undo-build"));
        stores.runs().put("r-undo-build", RunNode.newBuilder(undone).setRunId("r-undo-build").setWorkflow("rollback")
                .setCompensates(build.getRunId()).setCompensationRunId(null).setStatus(RunNodeStatus.FAILED)
                .setAttempt(2).setError("registry down").setTriggeredAt(fanout.now().toEpochMilli())
                .setFinishedAt(fanout.now().toEpochMilli() + 1_500).build());

        // When the root's children are read
        List<JsonNode> nodes = list(api.json("/api/trees/e1/nodes").get("nodes"));

        // Then deploy waits for build, and build shows its compensation run (which is not a child of its own)
        assertThat(nodes).hasSize(2);
        JsonNode buildNode = nodes.stream().filter(n -> n.get("repo").asText().equals("app-a")).findFirst().orElseThrow();
        JsonNode deployNode = nodes.stream().filter(n -> n.get("repo").asText().equals("app-b")).findFirst().orElseThrow();
        assertThat(deployNode.get("status").asText()).isEqualTo("WAITING");
        assertThat(deployNode.get("waiting_for")).extracting(JsonNode::asText).containsExactly("app-a/build");
        assertThat(deployNode.get("depends_on").get("subscriptions")).extracting(JsonNode::asText)
                .containsExactly("app-a/build");
        assertThat(deployNode.get("depends_on").get("mode").asText()).isEqualTo("ALL");
        assertThat(deployNode.get("depends_on").get("condition").asText()).isEqualTo("SUCCEEDED");
        assertThat(deployNode.get("compensation").isNull()).isTrue();
        assertThat(buildNode.get("waiting_for").isNull()).isTrue();
        assertThat(buildNode.get("compensate_workflow").asText()).isEqualTo("rollback");
        JsonNode compensation = buildNode.get("compensation");
        assertThat(compensation.get("run_id").asText()).isEqualTo("r-undo-build");
        assertThat(compensation.get("workflow").asText()).isEqualTo("rollback");
        assertThat(compensation.get("status").asText()).isEqualTo("FAILED");
        assertThat(compensation.get("attempt").asInt()).isEqualTo(2);
        assertThat(compensation.get("error").asText()).isEqualTo("registry down");
        assertThat(compensation.get("started_at").asText()).isEqualTo(fanout.now().toString());
        assertThat(compensation.get("finished_at").asText()).isEqualTo(fanout.now().plusMillis(1_500).toString());
    }

    @Test
    void aCancelledTreeSaysWhoCancelledItAndCountsShowCompensations() {
        // Given a tree cancelled by ops, one child compensated and one compensation failed
        fanout.subscribe(subscription("app-a", "build").build());
        fanout.emit(event("e1").build());
        DriverStores stores = new DriverStores(fanout);
        stores.tree("e1", tree -> {
            tree.setCancelled(new Cancellation("bad release", "ops@example.com", fanout.now()));
            tree.getCounts().setCompensated(1L);
            tree.getCounts().setCompensationFailed(1L);
        });

        // When the tree is read
        JsonNode tree = api.json("/api/trees/e1");

        // Then it says who cancelled it, why and when, and its counts show the compensations
        assertThat(tree.get("cancelled").get("reason").asText()).isEqualTo("bad release");
        assertThat(tree.get("cancelled").get("requested_by").asText()).isEqualTo("ops@example.com");
        assertThat(tree.get("cancelled").get("requested_at").asText()).isEqualTo(fanout.now().toString());
        assertThat(tree.get("counts").get("compensated").asInt()).isEqualTo(1);
        assertThat(tree.get("counts").get("compensation_failed").asInt()).isEqualTo(1);
        // and a tree nobody cancelled says null
        fanout.emit(event("e2").build());
        assertThat(api.json("/api/trees/e2").get("cancelled").isNull()).isTrue();
    }

    private RunStatus.Builder status(Trigger trigger, RunState state) {
        return RunStatus.newBuilder().setRunId(trigger.getRunId()).setTreeId(trigger.getTreeId())
                .setAttempt(trigger.getAttempt()).setStatus(state).setReportedAt(fanout.now());
    }
}
