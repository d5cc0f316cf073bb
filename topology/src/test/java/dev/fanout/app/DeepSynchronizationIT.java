package dev.fanout.app;

import static dev.fanout.app.RunReports.succeeded;
import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deep synchronization on a real broker, exactly-once: runs, nested fan-outs and trees finish when
 * everything below them has, and say so once. The test JVM's shared pipeline serves the class; each
 * test has its own artifacts and tree.
 */
@ExtendWith(PipelineExtension.class)
class DeepSynchronizationIT {

    private static Pipeline fanout;

    @BeforeAll
    static void shareThePipeline(@PipelineExtension.Shared Pipeline pipeline) {
        fanout = pipeline;
    }

    @Test
    void aRunWaitingForItsNestedFanOutResumesOnItsFanOutDoneThreeLevelsDown() throws Exception {
        // Given app-a and app-b on the root event, app-c on app-a's image, app-d on app-c's image
        fanout.subscribe(subscription("app-a", "deep").setArtifact("deep-lib:release").build());
        fanout.subscribe(subscription("app-b", "deep").setArtifact("deep-lib:release").build());
        fanout.subscribe(subscription("app-c", "deep").setArtifact("deep-a:image").build());
        fanout.subscribe(subscription("app-d", "deep").setArtifact("deep-c:image").build());
        fanout.awaitCaughtUp();
        // And a tree three levels deep, every run still running: a emitted e2 (to c), c emitted e3 (to d)
        fanout.emit(event("deep-e1").setArtifact("deep-lib:release").build());
        List<Trigger> roots = bySubscription(fanout.awaitFanOutTriggers("deep-e1", 2));
        Trigger a = roots.get(0);
        Trigger b = roots.get(1);
        fanout.emit(childEvent("deep-e2", "deep-a:image", "deep-e1", a.getRunId()).build());
        Trigger c = fanout.awaitFanOutTriggers("deep-e2", 1).get(0);
        fanout.emit(childEvent("deep-e3", "deep-c:image", "deep-e1", c.getRunId()).build());
        Trigger d = fanout.awaitFanOutTriggers("deep-e3", 1).get(0);
        fanout.report(succeeded(b));
        fanout.awaitCaughtUp();
        assertThat(d.getDepth()).isEqualTo(3);
        assertThat(fanout.fanOutDone("deep-e1")).isEmpty();

        // When the deepest run, app-d, succeeds
        fanout.report(succeeded(d));

        // Then app-c's fan-out is done, keyed by app-c's run, while app-c itself has not finished
        ConsumerRecord<String, FanOutDone> e3 = fanout.awaitFanOutDone("deep-e1", "deep-e3");
        assertThat(e3.key()).isEqualTo(c.getRunId());
        assertThat(e3.value().getCounts()).isEqualTo(new Counts(1L, 1L, 0L, 0L, 0L, 0L, 0L, 0L));
        fanout.awaitCaughtUp();
        assertThat(fanout.fanOutDone("deep-e1")).hasSize(1);
        assertThat(fanout.treeDone("deep-e1")).isEmpty();

        // When app-c, resumed, succeeds: app-a's fan-out is done, keyed by app-a's run, and nothing above it
        fanout.report(succeeded(c));
        assertThat(fanout.awaitFanOutDone("deep-e1", "deep-e2").key()).isEqualTo(a.getRunId());
        fanout.awaitCaughtUp();
        assertThat(fanout.treeDone("deep-e1")).isEmpty();

        // When app-a, resumed, succeeds
        fanout.report(succeeded(a));

        // Then the root fan-out and the tree are done, once, counting every run of every level
        assertThat(fanout.awaitFanOutDone("deep-e1", "deep-e1").key()).isEqualTo("deep-e1");
        TreeDone tree = fanout.awaitTreeDone("deep-e1");
        assertThat(tree.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(tree.getCounts()).isEqualTo(new Counts(4L, 4L, 0L, 0L, 0L, 0L, 0L, 0L));
        fanout.awaitCaughtUp();
        assertThat(fanout.treeDone("deep-e1")).hasSize(1);
        assertThat(fanout.fanOutDone("deep-e1")).extracting(r -> r.value().getFanOutId())
                .containsExactlyInAnyOrder("deep-e3", "deep-e2", "deep-e1");
    }

    @Test
    void everyFanOutOfATreeSendsExactlyOneFanOutDoneKeyedByTheRunThatEmittedIt() throws Exception {
        // Given app-a and app-b on the root event, app-c on app-a's image, app-d on app-b's image
        fanout.subscribe(subscription("app-a", "once").setArtifact("once-lib:release").build());
        fanout.subscribe(subscription("app-b", "once").setArtifact("once-lib:release").build());
        fanout.subscribe(subscription("app-c", "once").setArtifact("once-a:image").build());
        fanout.subscribe(subscription("app-d", "once").setArtifact("once-b:image").build());
        fanout.awaitCaughtUp();
        fanout.emit(event("once-e1").setArtifact("once-lib:release").build());
        List<Trigger> roots = bySubscription(fanout.awaitFanOutTriggers("once-e1", 2));
        Trigger a = roots.get(0);
        Trigger b = roots.get(1);

        // When app-a emits two events (one twice, one that matches nothing), app-b one, and every run
        // reports its success twice
        fanout.emit(childEvent("once-e2", "once-a:image", "once-e1", a.getRunId()).build());
        fanout.emit(childEvent("once-e2", "once-a:image", "once-e1", a.getRunId()).build());
        fanout.emit(childEvent("once-e3", "once-a:unwatched", "once-e1", a.getRunId()).build());
        fanout.emit(childEvent("once-e4", "once-b:image", "once-e1", b.getRunId()).build());
        Trigger c = fanout.awaitFanOutTriggers("once-e2", 1).get(0);
        Trigger d = fanout.awaitFanOutTriggers("once-e4", 1).get(0);
        fanout.awaitCaughtUp(); // once-e3 triggers nothing: wait until it is known before app-a ends
        for (Trigger run : List.of(c, d, a, b)) {
            fanout.report(succeeded(run));
            fanout.report(succeeded(run));
        }
        fanout.awaitTreeDone("once-e1");
        fanout.awaitCaughtUp();

        // Then each of the four fan-outs sent one FanOutDone, keyed by its emitter (the root: the tree id)
        assertThat(fanout.fanOutDone("once-e1")).extracting(r -> r.value().getFanOutId(), ConsumerRecord::key)
                .containsExactlyInAnyOrder(
                        tuple("once-e1", "once-e1"),
                        tuple("once-e2", a.getRunId()),
                        tuple("once-e3", a.getRunId()),
                        tuple("once-e4", b.getRunId()));
        // And the tree one TreeDone, with each run counted once
        assertThat(fanout.treeDone("once-e1")).singleElement()
                .satisfies(done -> assertThat(done.getCounts()).isEqualTo(new Counts(4L, 4L, 0L, 0L, 0L, 0L, 0L, 0L)));
        assertThat(fanout.triggers("once-e1")).hasSize(4);
    }

    @Test
    void aFanOutThatDoesNotWaitForChildrenIsDoneAtOnceWhileTheTreeStillWaitsForThem() throws Exception {
        // Given app-a on the root event and app-c on app-a's image
        fanout.subscribe(subscription("app-a", "nowait").setArtifact("nowait-lib:release").build());
        fanout.subscribe(subscription("app-c", "nowait").setArtifact("nowait-a:image").build());
        fanout.awaitCaughtUp();
        fanout.emit(event("nowait-e1").setArtifact("nowait-lib:release").build());
        Trigger a = fanout.awaitFanOutTriggers("nowait-e1", 1).get(0);

        // When app-a emits its image without waiting for the children
        fanout.emit(childEvent("nowait-e2", "nowait-a:image", "nowait-e1", a.getRunId())
                .setFanOut(FanOutOptions.newBuilder().setWaitForChildren(false).build()).build());

        // Then app-c is triggered and the fan-out's FanOutDone comes at once, before app-c reports
        Trigger c = fanout.awaitFanOutTriggers("nowait-e2", 1).get(0);
        ConsumerRecord<String, FanOutDone> early = fanout.awaitFanOutDone("nowait-e1", "nowait-e2");
        assertThat(early.key()).isEqualTo(a.getRunId());
        assertThat(early.value().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(early.value().getCounts()).isEqualTo(new Counts(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));

        // When app-a succeeds: its fan-out is done, but the tree still waits for app-c
        fanout.report(succeeded(a));
        fanout.awaitFanOutDone("nowait-e1", "nowait-e1");
        fanout.awaitCaughtUp();
        assertThat(fanout.treeDone("nowait-e1")).isEmpty();

        // When app-c succeeds
        fanout.report(succeeded(c));

        // Then the tree is done once, counting app-c, and the early FanOutDone was not sent again
        assertThat(fanout.awaitTreeDone("nowait-e1").getCounts()).isEqualTo(new Counts(2L, 2L, 0L, 0L, 0L, 0L, 0L, 0L));
        fanout.awaitCaughtUp();
        assertThat(fanout.treeDone("nowait-e1")).hasSize(1);
        assertThat(fanout.fanOutDone("nowait-e1")).extracting(r -> r.value().getFanOutId())
                .containsExactlyInAnyOrder("nowait-e1", "nowait-e2");
    }

    @Test
    void anEventThatMatchesNothingFinishesItsTreeAtOnceWithTotalZero() throws Exception {
        // Given nobody subscribed to none-lib:release
        fanout.subscribe(subscription("app-a", "none").setArtifact("none-lib:other").build());
        fanout.awaitCaughtUp();

        // When an event on it arrives
        fanout.emit(event("none-e1").setArtifact("none-lib:release").build());

        // Then its tree is done at once, keyed by the event id, with nothing in it and no trigger
        TreeDone done = fanout.awaitTreeDone("none-e1");
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts()).isEqualTo(new Counts(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));
        assertThat(done.getArtifact()).isEqualTo("none-lib:release");
        fanout.awaitCaughtUp();
        assertThat(fanout.records(fanout.topics().treeDone())).filteredOn(r -> r.value().getTreeId().equals("none-e1"))
                .singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("none-e1"));
        assertThat(fanout.triggers("none-e1")).isEmpty();
    }

    private static List<Trigger> bySubscription(List<Trigger> triggers) {
        return triggers.stream().sorted(Comparator.comparing(Trigger::getSubscriptionId)).toList();
    }
}
