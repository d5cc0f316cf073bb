package dev.fanout.app;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.SimulatedWorker.Sent;
import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.RunState;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The race between a run's nested event and its final report, on a real broker: the event goes through the
 * matcher and the plan repartition, the report through the status repartition, and nothing orders them.
 * A worker that publishes its event, waits for the broker's ack, then reports SUCCEEDED listing the event
 * in {@code emitted} must see every tree wait for the nested children, whichever arrives first.
 */
@ExtendWith(PipelineExtension.class)
class EmittedRaceIT {

    private static final int TREES = 30;

    private static Pipeline fanout;

    @BeforeAll
    static void shareThePipeline(@PipelineExtension.Shared Pipeline pipeline) {
        fanout = pipeline;
    }

    @Test
    void everyTreeCountsTheNestedChildOfARunThatReportedRightAfterItsEventWasAcknowledged() throws Exception {
        // Given app-a on the root event, app-c on app-a's image
        fanout.subscribe(subscription("app-a", "race").setArtifact("race-lib:release").build());
        fanout.subscribe(subscription("app-c", "race").setArtifact("race-a:image").build());
        fanout.awaitCaughtUp();
        List<String> trees = IntStream.rangeClosed(1, TREES).mapToObj(i -> "race-e" + i).toList();

        // And a worker whose app-a runs emit their image, wait for the ack, and at once report SUCCEEDED
        // listing it (app-c's runs just succeed)
        Function<Trigger, Work> behaviour = trigger -> trigger.getDepth() == 1
                ? Work.succeed().emitting(childEvent(trigger.getTreeId() + "-image", "race-a:image",
                        trigger.getTreeId(), trigger.getRunId()).build()).listingEmitted()
                : Work.succeed();
        Map<String, TreeDone> done;
        List<Sent> sent;
        try (SimulatedWorker worker = new SimulatedWorker(fanout, t -> trees.contains(t.getTreeId()), behaviour, 4,
                0, 7L)) {
            // When 30 trees start at once
            for (String tree : trees) {
                fanout.emit(event(tree).setArtifact("race-lib:release").build());
            }
            trees.forEach(fanout::awaitTreeDone);
            fanout.awaitCaughtUp();
            done = fanout.treeDone().stream().filter(d -> trees.contains(d.getTreeId()))
                    .collect(Collectors.toMap(TreeDone::getTreeId, d -> d, (first, second) -> {
                        throw new AssertionError("two TreeDone for tree " + first.getTreeId());
                    }));
            sent = worker.sent();
            assertThat(worker.errors()).isEmpty();
        }

        // Then every tree ended once, counting app-a and its child (without emitted, about a third of them
        // ended with total 1 on a 2-core machine: the report had overtaken the event)
        assertThat(done).hasSize(TREES);
        List<String> withoutTheirChild = done.values().stream().filter(tree -> tree.getCounts().getTotal() != 2)
                .map(TreeDone::getTreeId).sorted().toList();
        assertThat(withoutTheirChild).as("trees that ended without their nested child").isEmpty();
        assertThat(done.values()).allSatisfy(tree -> {
            assertThat(tree.getStatus()).as(tree.getTreeId()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(tree.getCounts()).as(tree.getTreeId()).isEqualTo(new Counts(2L, 2L, 0L, 0L, 0L, 0L, 0L, 0L));
        });
        // And every app-a report listed its event
        assertThat(sent).filteredOn(s -> s.status().getStatus() == RunState.SUCCEEDED).hasSize(2 * TREES);
        assertThat(sent).filteredOn(s -> s.status().getEmitted() != null).hasSize(TREES)
                .allSatisfy(s -> assertThat(s.status().getEmitted()).containsExactly(s.status().getTreeId() + "-image"));
        // And each of its two fan-outs sent one FanOutDone
        for (String tree : trees) {
            assertThat(fanout.fanOutDone(tree)).extracting(r -> r.value().getFanOutId())
                    .containsExactlyInAnyOrder(tree + "-image", tree);
        }
    }
}
