package dev.fanout.app;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.app.SiblingDependenciesIT.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.SimulatedWorker.Received;
import dev.fanout.app.SimulatedWorker.Sent;
import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.RunState;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.tree.TreeIds;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compensation on a real broker, exactly-once: a DAG whose last step fails for good is undone in reverse
 * dependency order, one level after the other, even when the topology (in a child JVM) is killed (SIGKILL)
 * in the middle of the compensations and started again on its state directory.
 */
@ExtendWith(PipelineExtension.class)
class CompensationKillIT {

    private static final String TREE = "saga-e1";
    private static final String ARTIFACT = "saga-lib:release";
    /** The dependency level of each step: db, then api and cache after db, web after both, smoke after web. */
    private static final Map<String, Integer> LEVELS = Map.of("db", 0, "api", 1, "cache", 1, "web", 2, "qa", 3);

    @Test
    void aDagWhoseLastStepFailsIsCompensatedLevelByLevelInReverseAcrossAKillAndEndsFailedOnce(
            @PipelineExtension.Options(started = false) Pipeline fanout) throws Exception {
        // Given the topology in a child JVM; db, api and cache after db, web after both, each with a rollback;
        // smoke after web, tried twice, failing both times; and a worker on which every step and every
        // rollback succeeds, cache's rollback only once the topology has been killed and started again
        CompletableFuture<Void> restarted = new CompletableFuture<>();
        Path childLog = ChildFanout.logFile("CompensationKillIT");
        try (ChildFanout child = ChildFanout.start(fanout.settings(), childLog);
                SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getTreeId().equals(TREE),
                        trigger -> work(trigger, restarted), 4, 150, 11L)) {
            fanout.subscribe(step("db", "migrate").build());
            fanout.subscribe(step("api", "deploy").setDependsOn(all("db/migrate")).build());
            fanout.subscribe(step("cache", "warm").setDependsOn(all("db/migrate")).build());
            fanout.subscribe(step("web", "deploy").setDependsOn(all("api/deploy", "cache/warm")).build());
            fanout.subscribe(subscription("qa", "smoke").setArtifact(ARTIFACT).setDependsOn(all("web/deploy"))
                    .setRetry(new RetryPolicy(2, 200L, 1.0)).build());
            fanout.awaitCaughtUp();
            fanout.emit(event(TREE).setArtifact(ARTIFACT).build());

            // When the topology is killed once api's rollback was reported and cache's is held by the worker
            await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(() ->
                    compensations(worker.receivedTriggers()).stream().anyMatch(t -> t.getRepo().equals("cache"))
                            && worker.sent().stream().anyMatch(s -> s.status().getRunId().equals(
                                    TreeIds.compensationRunId(runIdOf(worker, "api/deploy")))));
            child.kill();
            assertThat(fanout.treeDone(TREE)).isEmpty();

            // And started again (in this JVM) on the killed one's state directory, after which cache's rollback
            // is reported
            fanout.start();
            restarted.complete(null);

            // Then the tree is done exactly once, FAILED, its four rollbacks counted
            TreeDone done = fanout.awaitTreeDone(TREE);
            fanout.awaitCaughtUp();
            assertThat(fanout.treeDone(TREE)).hasSize(1);
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(done.getCancelled()).isNull();
            assertThat(done.getCounts()).isEqualTo(new Counts(5L, 4L, 1L, 0L, 0L, 1L, 4L, 0L));
            FanOutDone fanOutDone = fanout.awaitFanOutDone(TREE, TREE).value();
            assertThat(fanout.fanOutDone(TREE)).hasSize(1);
            assertThat(fanOutDone.getCounts()).isEqualTo(done.getCounts());
            Map<String, ChildResult> results = fanOutDone.getResults().stream()
                    .collect(Collectors.toMap(ChildResult::getSubscriptionId, Function.identity()));
            for (String undone : List.of("db/migrate", "api/deploy", "cache/warm", "web/deploy")) {
                assertThat(results.get(undone).getStatus()).as(undone).isEqualTo(ChildStatus.SUCCEEDED);
                assertThat(results.get(undone).getCompensation().getStatus()).as(undone)
                        .isEqualTo(ChildStatus.SUCCEEDED);
                assertThat(results.get(undone).getCompensation().getWorkflow()).as(undone).isEqualTo("rollback");
            }
            assertThat(results.get("qa/smoke").getStatus()).isEqualTo(ChildStatus.FAILED);
            assertThat(results.get("qa/smoke").getCompensation()).isNull();

            // And no run was triggered twice for one attempt: five steps, smoke's retry, four rollbacks
            assertThat(fanout.triggers(TREE)).extracting(t -> t.getRunId() + "#" + t.getAttempt())
                    .doesNotHaveDuplicates().hasSize(10);
            List<Received> received = worker.received();
            List<Sent> sent = worker.sent();
            assertThat(received).extracting(r -> r.trigger().getRunId() + "#" + r.trigger().getAttempt())
                    .doesNotHaveDuplicates().hasSize(10);

            // And each rollback says what it undoes
            List<Received> rollbacks = received.stream().filter(r -> r.trigger().getCompensation() != null).toList();
            assertThat(rollbacks).allSatisfy(r -> {
                Trigger rollback = r.trigger();
                assertThat(rollback.getWorkflow()).isEqualTo("rollback");
                assertThat(rollback.getCompensation().getWorkflow()).isEqualTo("build");
                assertThat(rollback.getCompensation().getOutput()).isEqualTo("{\"step\":\"" + rollback.getRepo() + "\"}");
                assertThat(rollback.getCompensation().getReason()).isEqualTo("fan-out FAILED: 1 failures, 0 tolerated");
                assertThat(rollback.getCompensation().getRunId())
                        .isEqualTo(runIdOf(worker, rollback.getSubscriptionId()));
                assertThat(rollback.getRunId()).isEqualTo(TreeIds.compensationRunId(rollback.getCompensation().getRunId()));
            });

            // And they came in reverse dependency order, in the order received: web's, then api's and
            // cache's, then db's
            assertThat(rollbacks).extracting(r -> LEVELS.get(r.trigger().getRepo())).containsExactly(2, 1, 1, 0);
            // And a level started only once every rollback of the level above was reported, the first once
            // smoke's last attempt was
            long smokeFailed = sent.stream().filter(s -> s.status().getRunId().equals(runIdOf(worker, "qa/smoke"))
                    && s.status().getAttempt() == 2 && s.status().getStatus() == RunState.FAILED)
                    .mapToLong(Sent::seq).max().orElseThrow();
            for (Received rollback : rollbacks) {
                int level = LEVELS.get(rollback.trigger().getRepo());
                long levelAboveReported = level == 2 ? smokeFailed : rollbacks.stream()
                        .filter(r -> LEVELS.get(r.trigger().getRepo()) == level + 1)
                        .mapToLong(r -> reportOf(sent, r.trigger())).max().orElseThrow();
                assertThat(rollback.seq()).as("%s's rollback", rollback.trigger().getRepo())
                        .isGreaterThan(levelAboveReported);
            }
            assertThat(worker.errors()).isEmpty();
        }
    }

    private static dev.fanout.avro.Subscription.Builder step(String repo, String name) {
        return subscription(repo, name).setArtifact(ARTIFACT).setCompensateWorkflow("rollback");
    }

    /** What the worker does: the same for every attempt, whenever the topology is killed. */
    private static Work work(Trigger trigger, CompletableFuture<Void> restarted) {
        if (trigger.getCompensation() != null) {
            return trigger.getRepo().equals("cache") ? Work.succeed().after(restarted) : Work.succeed();
        }
        return trigger.getRepo().equals("qa") ? Work.fail(true) : Work.succeed().withOutput("{\"step\":\""
                + trigger.getRepo() + "\"}");
    }

    private static List<Trigger> compensations(List<Trigger> triggers) {
        return triggers.stream().filter(t -> t.getCompensation() != null).toList();
    }

    /** The run id of a subscription's (not compensation) run, as the worker received it. */
    private static String runIdOf(SimulatedWorker worker, String subscriptionId) {
        return worker.receivedTriggers().stream()
                .filter(t -> t.getCompensation() == null && t.getSubscriptionId().equals(subscriptionId))
                .map(Trigger::getRunId).findFirst()
                .orElseThrow(() -> new AssertionError(subscriptionId + " was not triggered"));
    }

    /** The sequence number of the terminal report the worker sent on a trigger. */
    private static long reportOf(List<Sent> sent, Trigger trigger) {
        return sent.stream().filter(s -> s.status().getRunId().equals(trigger.getRunId())
                        && s.status().getAttempt() == trigger.getAttempt())
                .mapToLong(Sent::seq).max()
                .orElseThrow(() -> new AssertionError("no report was sent on " + trigger.getRunId()));
    }
}
