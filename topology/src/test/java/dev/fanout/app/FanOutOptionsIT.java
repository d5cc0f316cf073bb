package dev.fanout.app;

import static dev.fanout.app.RunReports.failed;
import static dev.fanout.app.RunReports.started;
import static dev.fanout.app.RunReports.succeeded;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fanout.app.SimulatedWorker.Received;
import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The options of a fan-out on a real broker, exactly-once: concurrency limit, timeout, tolerated
 * failures, and the order of a map fan-out's results. The test JVM's shared pipeline serves the class; each
 * test has its own artifacts and trees.
 */
@ExtendWith(PipelineExtension.class)
class FanOutOptionsIT {

    private static Pipeline fanout;

    @BeforeAll
    static void shareThePipeline(@PipelineExtension.Shared Pipeline pipeline) {
        fanout = pipeline;
    }

    @Test
    void aConcurrencyLimitedFanOutNeverHasMoreChildrenInFlightThanItsLimitAndReleasesThemInPlanOrder()
            throws Exception {
        // Given a map fan-out over twelve items with at most three children in flight
        int limit = 3;
        int width = 12;
        fanout.subscribe(subscription("app-w", "limited").setArtifact("limit-lib:release")
                .setForeach("event.payload.items").build());
        fanout.awaitCaughtUp();

        // When a worker with more threads than the limit works on every trigger for a random short while
        TreeDone done;
        List<Received> received;
        try (SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getTreeId().equals("limit-e1"),
                trigger -> Work.succeed(), limit + 2, 400, 42L)) {
            fanout.emit(event("limit-e1").setArtifact("limit-lib:release").setPayload(items(width))
                    .setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(limit).build()).build());
            done = fanout.awaitTreeDone("limit-e1");
            received = worker.received();
            assertThat(worker.errors()).isEmpty();
        }

        // Then at every trigger received, received minus terminal statuses sent never exceeds the limit
        // (the coordinator releases a child only once it has processed a terminal status), and it reaches it
        List<Integer> inFlightAtEachTrigger = IntStream.range(0, received.size())
                .map(i -> i + 1 - received.get(i).terminalSentBefore()).boxed().toList();
        assertThat(inFlightAtEachTrigger).allSatisfy(inFlight -> assertThat(inFlight).isLessThanOrEqualTo(limit));
        assertThat(inFlightAtEachTrigger).contains(limit);
        // And every child was released once, in the order it was planned
        assertThat(received).extracting(r -> r.trigger().getItemIndex(), r -> r.trigger().getAttempt())
                .containsExactlyElementsOf(IntStream.range(0, width).mapToObj(i -> tuple(i, 1)).toList());
        assertThat(done.getCounts()).isEqualTo(new Counts((long) width, (long) width, 0L, 0L, 0L, 0L, 0L, 0L));
    }

    @Test
    void aFanOutPastItsTimeoutEndsTimedOutWithTheResultsSoFar() throws Exception {
        // Given a map fan-out over four items, two at a time, that must be done within four seconds
        fanout.subscribe(subscription("app-t", "timed").setArtifact("timeout-lib:release")
                .setForeach("event.payload.items").build());
        fanout.awaitCaughtUp();
        fanout.emit(event("timeout-e1").setArtifact("timeout-lib:release").setPayload(items(4))
                .setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(2).setTimeoutMs(4_000L).build()).build());

        // When item 0 succeeds (item 2 takes its slot), item 1 starts, and nothing else ends in time
        List<Trigger> first = byIndex(fanout.awaitFanOutTriggers("timeout-e1", 2));
        fanout.report(succeeded(first.get(0), "{\"item\":0}"));
        fanout.report(started(first.get(1)));
        Trigger third = fanout.awaitFanOutTriggers("timeout-e1", 3).stream()
                .filter(t -> t.getItemIndex() == 2).findFirst().orElseThrow();

        // Then the fan-out ends TIMED_OUT with item 0's result, the three others timed out, item 3 never triggered
        FanOutDone fanOutDone = fanout.awaitFanOutDone("timeout-e1", "timeout-e1").value();
        assertThat(fanOutDone.getStatus()).isEqualTo(CompletionStatus.TIMED_OUT);
        assertThat(fanOutDone.getCounts()).isEqualTo(new Counts(4L, 1L, 0L, 3L, 0L, 0L, 0L, 0L));
        assertThat(fanOutDone.getResults()).extracting(ChildResult::getItemIndex, ChildResult::getStatus,
                ChildResult::getOutput).containsExactly(tuple(0, ChildStatus.SUCCEEDED, "{\"item\":0}"));
        assertThat(fanOutDone.getFinishedAt().toEpochMilli() - fanOutDone.getStartedAt().toEpochMilli())
                .isGreaterThanOrEqualTo(4_000L);
        TreeDone treeDone = fanout.awaitTreeDone("timeout-e1");
        assertThat(treeDone.getStatus()).isEqualTo(CompletionStatus.TIMED_OUT);
        assertThat(treeDone.getCounts()).isEqualTo(new Counts(4L, 1L, 0L, 3L, 0L, 0L, 0L, 0L));

        // When the children still running report after the timeout
        fanout.report(succeeded(first.get(1)));
        fanout.report(succeeded(third));
        fanout.awaitCaughtUp();

        // Then nothing changes: no second FanOutDone or TreeDone, and item 3 was never triggered
        assertThat(fanout.fanOutDone("timeout-e1")).hasSize(1);
        assertThat(fanout.treeDone("timeout-e1")).hasSize(1);
        assertThat(fanout.triggers("timeout-e1")).extracting(Trigger::getItemIndex).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void aFanOutFailsOnlyWhenMoreChildrenFailThanItTolerates() throws Exception {
        // Given two map fan-outs over three items that tolerate one failure each
        fanout.subscribe(subscription("app-f", "tolerant").setArtifact("tolerate-lib:release")
                .setForeach("event.payload.items").build());
        fanout.awaitCaughtUp();
        FanOutOptions toleratesOne = FanOutOptions.newBuilder().setToleratedFailures(1).build();
        fanout.emit(event("tolerate-e1").setArtifact("tolerate-lib:release").setPayload(items(3))
                .setFanOut(toleratesOne).build());
        fanout.emit(event("tolerate-e2").setArtifact("tolerate-lib:release").setPayload(items(3))
                .setFanOut(toleratesOne).build());
        List<Trigger> one = byIndex(fanout.awaitFanOutTriggers("tolerate-e1", 3));
        List<Trigger> two = byIndex(fanout.awaitFanOutTriggers("tolerate-e2", 3));

        // When one child of the first fails, and two of the second
        fanout.report(failed(one.get(0), "boom", true));
        fanout.report(succeeded(one.get(1)));
        fanout.report(succeeded(one.get(2)));
        fanout.report(failed(two.get(0), "boom", true));
        fanout.report(failed(two.get(1), "boom", true));
        fanout.report(succeeded(two.get(2)));

        // Then the first succeeds with its failure counted and listed, and the second fails
        FanOutDone tolerated = fanout.awaitFanOutDone("tolerate-e1", "tolerate-e1").value();
        assertThat(tolerated.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(tolerated.getCounts()).isEqualTo(new Counts(3L, 2L, 1L, 0L, 0L, 0L, 0L, 0L));
        assertThat(tolerated.getFailures()).singleElement()
                .satisfies(failure -> assertThat(failure.getRunId()).isEqualTo(one.get(0).getRunId()));
        assertThat(fanout.awaitTreeDone("tolerate-e1").getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        FanOutDone notTolerated = fanout.awaitFanOutDone("tolerate-e2", "tolerate-e2").value();
        assertThat(notTolerated.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(notTolerated.getCounts()).isEqualTo(new Counts(3L, 1L, 2L, 0L, 0L, 0L, 0L, 0L));
        assertThat(fanout.awaitTreeDone("tolerate-e2").getStatus()).isEqualTo(CompletionStatus.FAILED);
    }

    @Test
    void aMapFanOutReportsItsResultsInItemOrderWhateverOrderTheyEndIn() throws Exception {
        // Given a map fan-out over five items and a plain subscriber on the same artifact
        fanout.subscribe(subscription("app-m", "per-item").setArtifact("map-lib:release")
                .setForeach("event.payload.items").build());
        fanout.subscribe(subscription("app-n", "plain").setArtifact("map-lib:release").build());
        fanout.awaitCaughtUp();
        fanout.emit(event("map-e1").setArtifact("map-lib:release").setPayload(items(5)).build());
        List<Trigger> triggers = fanout.awaitFanOutTriggers("map-e1", 6);

        // When they end in reverse item order, the plain subscriber last, each with its own output
        List<Trigger> reversed = triggers.stream()
                .sorted(Comparator.comparing((Trigger t) -> t.getItemIndex() == null ? -1 : t.getItemIndex())
                        .reversed())
                .toList();
        for (Trigger trigger : reversed) {
            fanout.report(succeeded(trigger, "{\"item\":" + trigger.getItem() + "}"));
        }

        // Then the results come in item order, the child without an index first, each with its own output
        FanOutDone done = fanout.awaitFanOutDone("map-e1", "map-e1").value();
        assertThat(done.getResults()).extracting(ChildResult::getSubscriptionId, ChildResult::getItemIndex,
                ChildResult::getOutput).containsExactly(
                tuple("app-n/plain", null, "{\"item\":null}"),
                tuple("app-m/per-item", 0, "{\"item\":0}"),
                tuple("app-m/per-item", 1, "{\"item\":1}"),
                tuple("app-m/per-item", 2, "{\"item\":2}"),
                tuple("app-m/per-item", 3, "{\"item\":3}"),
                tuple("app-m/per-item", 4, "{\"item\":4}"));
        assertThat(done.getCounts()).isEqualTo(new Counts(6L, 6L, 0L, 0L, 0L, 0L, 0L, 0L));
    }

    /** A payload whose {@code items} are 0 .. count-1. */
    private static String items(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }

    private static List<Trigger> byIndex(List<Trigger> triggers) {
        return triggers.stream().sorted(Comparator.comparing(Trigger::getItemIndex)).toList();
    }
}
