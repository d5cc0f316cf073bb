package dev.fanout.tree;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run is done when it and everything it emitted are done; the tree when its root fan-out is. */
class DeepSynchronizationTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void anUnmatchedRootEventFinishesItsTreeAtOnceWithTotalZero() {
        // When an event nobody subscribed to arrives
        fanout.emit(event("e1").build());

        // Then its tree is done at once, with nothing in it
        List<TestRecord<String, TreeDone>> done = fanout.treeDone();
        assertThat(done).hasSize(1);
        assertThat(done.get(0).key()).isEqualTo("e1");
        assertThat(done.get(0).value().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.get(0).value().getCounts().getTotal()).isZero();
        assertThat(done.get(0).value().getArtifact()).isEqualTo("lib-core:release");
    }

    @Test
    void aThreeLevelTreeIsDoneOnceItsDeepestRunIsWithExactlyOneTreeDone() {
        // Given a tree of three levels: app-a and app-b on the root event, app-c on app-a's image,
        // app-d on app-c's image
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-b", "on-release").build())
                .subscribe(subscription("app-c", "on-app-a").setArtifact("app-a:image").build())
                .subscribe(subscription("app-d", "on-app-c").setArtifact("app-c:image").build());
        fanout.emit(event("e1").build());
        List<Trigger> roots = fanout.triggers();
        Trigger a = roots.get(0);
        Trigger b = roots.get(1);
        fanout.report(succeeded(fanout, b, "{}"));
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId()).build());
        Trigger c = fanout.triggers().get(0);
        fanout.report(succeeded(fanout, a, "{\"image\":\"a:1\"}"));
        fanout.emit(childEvent("e3", "app-c:image", "e1", c.getRunId()).build());
        Trigger d = fanout.triggers().get(0);
        fanout.report(succeeded(fanout, c, "{}"));

        // Then nothing is done while app-d, three levels down, still runs, although its ancestors succeeded
        assertThat(d.getDepth()).isEqualTo(3);
        assertThat(fanout.fanOutDone()).isEmpty();
        assertThat(fanout.treeDone()).isEmpty();

        // When app-d succeeds, and its report arrives twice
        fanout.report(succeeded(fanout, d, "{}"));
        fanout.report(succeeded(fanout, d, "{}"));

        // Then each fan-out is done once, deepest first, keyed by the run waiting for it
        List<TestRecord<String, FanOutDone>> fanOuts = fanout.fanOutDone();
        assertThat(fanOuts).extracting(TestRecord::key).containsExactly(c.getRunId(), a.getRunId(), "e1");
        assertThat(fanOuts).extracting(r -> r.value().getFanOutId()).containsExactly("e3", "e2", "e1");
        assertThat(fanOuts.get(2).value().getCounts()).isEqualTo(new Counts(2L, 2L, 0L, 0L, 0L, 0L, 0L, 0L));
        // And the tree is done exactly once, counting every run of every level
        List<TestRecord<String, TreeDone>> trees = fanout.treeDone();
        assertThat(trees).hasSize(1);
        assertThat(trees.get(0).value().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(trees.get(0).value().getCounts()).isEqualTo(new Counts(4L, 4L, 0L, 0L, 0L, 0L, 0L, 0L));
        assertThat(fanout.fanOutDone()).isEmpty();
    }

    @Test
    void aRunThatEmittedAFanOutIsNotDoneUntilThatFanOutIs() {
        // Given app-a's run emitted an event that triggered app-c
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-c", "on-app-a").setArtifact("app-a:image").build());
        fanout.emit(event("e1").build());
        Trigger a = fanout.triggers().get(0);
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId()).build());
        Trigger c = fanout.triggers().get(0);

        // When app-a reports success before its child does
        fanout.report(succeeded(fanout, a, "{}"));

        // Then the root fan-out waits for app-c
        assertThat(fanout.treeDone()).isEmpty();

        // When app-c succeeds
        fanout.report(succeeded(fanout, c, "{}"));

        // Then the tree is done
        assertThat(fanout.treeDone()).extracting(r -> r.value().getCounts().getTotal()).containsExactly(2L);
    }

    @Test
    void aSkippedCycleCountsAsSkippedAndDoesNotFailItsFanOut() {
        // Given app-a's build, which also subscribes to its own image
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-a", "on-own-image").setArtifact("app-a:image").build());
        fanout.emit(event("e1").build());
        Trigger a = fanout.triggers().get(0);

        // When app-a's run emits its image and succeeds
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId()).build());
        fanout.report(succeeded(fanout, a, "{}"));

        // Then its fan-out is done at once, succeeded, with the child skipped for a cycle
        List<TestRecord<String, FanOutDone>> fanOuts = fanout.fanOutDone();
        FanOutDone nested = fanOuts.get(0).value();
        assertThat(nested.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(nested.getCounts().getSkipped()).isEqualTo(1);
        assertThat(nested.getResults()).extracting(r -> r.getReason()).containsExactly("cycle");
        // And the tree succeeds, counting the skipped child
        TreeDone tree = fanout.treeDone().get(0).value();
        assertThat(tree.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(tree.getCounts()).isEqualTo(new Counts(2L, 1L, 0L, 0L, 1L, 0L, 0L, 0L));
    }

    @Test
    void anEventFromARunThatMatchesNothingIsDoneAtOnceAndDoesNotHoldTheRun() {
        // Given app-a's run
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.emit(event("e1").build());
        Trigger a = fanout.triggers().get(0);

        // When it emits an event nobody subscribed to, then succeeds
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId()).build());
        List<TestRecord<String, FanOutDone>> nested = fanout.fanOutDone();
        fanout.report(succeeded(fanout, a, "{}"));

        // Then that fan-out was done at once with total 0, and the tree is done when app-a is
        assertThat(nested).singleElement().satisfies(done -> {
            assertThat(done.key()).isEqualTo(a.getRunId());
            assertThat(done.value().getCounts().getTotal()).isZero();
        });
        assertThat(fanout.treeDone()).extracting(r -> r.value().getCounts().getTotal()).containsExactly(1L);
    }
}
