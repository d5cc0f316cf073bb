package dev.fanout.app;

import static dev.fanout.app.RunReports.failed;
import static dev.fanout.app.RunReports.succeeded;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.SimulatedWorker.Received;
import dev.fanout.app.SimulatedWorker.Sent;
import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.OnFailure;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sibling dependencies ({@code depends_on}) on a real broker, exactly-once: with a concurrency limit, and
 * under {@code on_failure: fail_fast}. The test JVM's shared pipeline serves the class; each test has its own
 * artifacts and trees.
 */
@ExtendWith(PipelineExtension.class)
class SiblingDependenciesIT {

    private static Pipeline fanout;

    @BeforeAll
    static void shareThePipeline(@PipelineExtension.Shared Pipeline pipeline) {
        fanout = pipeline;
    }

    @Test
    void dependenciesUnderAConcurrencyLimitNeverPutMoreChildrenInFlightThanTheLimitAndWaitingOnesHoldNoSlot()
            throws Exception {
        // Given, in plan (subscription id) order: a map over six items after prep, prep, a step after the map,
        // and three independent steps; at most three children in flight. Were a waiting child to hold a slot,
        // the map's items, first in plan order, would take every slot before prep ran, and nothing would end.
        int limit = 3;
        fanout.subscribe(subscription("dag-a", "items").setArtifact("dag-lib:release")
                .setForeach("event.payload.items").setDependsOn(all("dag-b/prep")).build());
        fanout.subscribe(subscription("dag-b", "prep").setArtifact("dag-lib:release").build());
        fanout.subscribe(subscription("dag-c", "after").setArtifact("dag-lib:release")
                .setDependsOn(all("dag-a/items")).build());
        for (String repo : List.of("dag-d", "dag-e", "dag-f")) {
            fanout.subscribe(subscription(repo, "solo").setArtifact("dag-lib:release").build());
        }
        fanout.awaitCaughtUp();

        // When a worker with more threads than the limit works on every trigger for a random short while
        TreeDone done;
        List<Received> received;
        List<Sent> sent;
        try (SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getTreeId().equals("dag-e1"),
                trigger -> Work.succeed(), limit + 2, 300, 16L)) {
            fanout.emit(event("dag-e1").setArtifact("dag-lib:release").setPayload(items(6))
                    .setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(limit).build()).build());
            done = fanout.awaitTreeDone("dag-e1");
            received = worker.received();
            sent = worker.sent();
            assertThat(worker.errors()).isEmpty();
        }

        // Then at every trigger received, received minus terminal statuses sent never exceeds the limit, and
        // reaches it
        List<Integer> inFlightAtEachTrigger = IntStream.range(0, received.size())
                .map(i -> i + 1 - received.get(i).terminalSentBefore()).boxed().toList();
        assertThat(inFlightAtEachTrigger).allSatisfy(inFlight -> assertThat(inFlight).isLessThanOrEqualTo(limit));
        assertThat(inFlightAtEachTrigger).contains(limit);
        // And every child was released once
        assertThat(received).extracting(r -> r.trigger().getRunId() + "#" + r.trigger().getAttempt())
                .doesNotHaveDuplicates().hasSize(11);
        // And each map item only after prep's report was sent, the step after the map only after every item's
        long prepReported = lastReport(received, sent, "dag-b/prep");
        assertThat(receivedOf(received, "dag-a/items")).hasSize(6)
                .allSatisfy(item -> assertThat(item.seq()).isGreaterThan(prepReported));
        long mapReported = lastReport(received, sent, "dag-a/items");
        assertThat(receivedOf(received, "dag-c/after")).singleElement()
                .satisfies(after -> assertThat(after.seq()).isGreaterThan(mapReported));
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts()).isEqualTo(new Counts(11L, 11L, 0L, 0L, 0L, 0L, 0L, 0L));
        fanout.awaitCaughtUp();
        assertThat(fanout.treeDone("dag-e1")).hasSize(1);
    }

    @Test
    void failFastSkipsTheQueuedAndWaitingChildrenOnceAFailureExceedsTheToleranceAndLetsTheRunningOneFinish()
            throws Exception {
        // Given a map over six targets, two at a time, fail_fast, and a summary after it whatever happens
        fanout.subscribe(subscription("ff-a", "per-target").setArtifact("failfast-lib:release")
                .setForeach("event.payload.items").build());
        fanout.subscribe(subscription("ff-b", "summary").setArtifact("failfast-lib:release")
                .setDependsOn(new DependsOn(List.of("ff-a/per-target"), DependencyMode.ALL,
                        DependencyCondition.DONE)).build());
        fanout.awaitCaughtUp();
        fanout.emit(event("failfast-e1").setArtifact("failfast-lib:release").setPayload(items(6))
                .setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(2).setOnFailure(OnFailure.FAIL_FAST).build())
                .build());
        List<Trigger> first = fanout.awaitFanOutTriggers("failfast-e1", 2).stream()
                .sorted(Comparator.comparing(Trigger::getItemIndex)).toList();
        assertThat(first).extracting(Trigger::getItemIndex).containsExactly(0, 1);

        // When item 0 fails for good, Then nothing more is released
        fanout.report(failed(first.get(0), "boom", false));
        fanout.awaitCaughtUp();
        assertThat(fanout.triggers("failfast-e1")).hasSize(2);
        assertThat(fanout.treeDone("failfast-e1")).isEmpty();

        // When item 1, still running, succeeds
        fanout.report(succeeded(first.get(1)));

        // Then the tree ends FAILED: one success, one failure, the four queued items and the waiting summary
        // skipped by fail_fast
        FanOutDone fanOutDone = fanout.awaitFanOutDone("failfast-e1", "failfast-e1").value();
        assertThat(fanOutDone.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(fanOutDone.getCounts()).isEqualTo(new Counts(7L, 1L, 1L, 0L, 5L, 0L, 0L, 0L));
        assertThat(fanOutDone.getResults()).filteredOn(r -> r.getStatus() == ChildStatus.SKIPPED)
                .extracting(r -> r.getSubscriptionId() + "#" + r.getItemIndex() + ": " + r.getReason())
                .containsExactlyInAnyOrder(
                        "ff-a/per-target#2: fail_fast: 1 failures, 0 tolerated",
                        "ff-a/per-target#3: fail_fast: 1 failures, 0 tolerated",
                        "ff-a/per-target#4: fail_fast: 1 failures, 0 tolerated",
                        "ff-a/per-target#5: fail_fast: 1 failures, 0 tolerated",
                        "ff-b/summary#null: fail_fast: 1 failures, 0 tolerated");
        TreeDone done = fanout.awaitTreeDone("failfast-e1");
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getCounts()).isEqualTo(new Counts(7L, 1L, 1L, 0L, 5L, 0L, 0L, 0L));
        fanout.awaitCaughtUp();
        assertThat(fanout.treeDone("failfast-e1")).hasSize(1);
        assertThat(fanout.triggers("failfast-e1")).hasSize(2);
    }

    static DependsOn all(String... subscriptionIds) {
        return new DependsOn(List.of(subscriptionIds), DependencyMode.ALL, DependencyCondition.SUCCEEDED);
    }

    /** The triggers of one subscription as the worker received them. */
    static List<Received> receivedOf(List<Received> received, String subscriptionId) {
        return received.stream().filter(r -> r.trigger().getSubscriptionId().equals(subscriptionId)).toList();
    }

    /** The worker's sequence number of the last report it sent on a subscription's runs. */
    static long lastReport(List<Received> received, List<Sent> sent, String subscriptionId) {
        Set<String> runIds = receivedOf(received, subscriptionId).stream().map(r -> r.trigger().getRunId())
                .collect(Collectors.toSet());
        return sent.stream().filter(s -> runIds.contains(s.status().getRunId())).mapToLong(Sent::seq).max()
                .orElseThrow(() -> new AssertionError("no report was sent on " + subscriptionId));
    }

    /** A payload whose {@code items} are 0 .. count-1. */
    private static String items(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }
}
