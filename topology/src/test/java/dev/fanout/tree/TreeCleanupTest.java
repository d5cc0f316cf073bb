package dev.fanout.tree;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.TopologyNames;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A done tree is removed from every store after fanout.tree.retention.ms, in bounded batches. */
class TreeCleanupTest {

    /** Every store of the coordinator but the timers (checked on their own: no timer may be left either). */
    private static final List<String> TREE_STORES = CoordinatorStores.all().stream().map(CoordinatorStores.Spec::name)
            .filter(name -> !name.equals(TopologyNames.TREE_TIMERS)).toList();

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void aDoneTreeStaysForItsRetentionThenEveryEntryOfItIsRemoved() {
        // Given a one-hour retention and a nested tree that is done
        fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.TREE_RETENTION_MS, 3_600_000L));
        runNestedTreeToTheEnd("e1");
        assertThat(entries(TopologyNames.TREE_RUNS)).isEqualTo(2);

        // When 59 minutes pass, then everything is still there
        fanout.advance(Duration.ofMinutes(59));
        assertThat(entries(TopologyNames.TREE_TREES)).isEqualTo(1);
        assertThat(entries(TopologyNames.TREE_RUNS)).isEqualTo(2);

        // When the hour is over, then no store holds anything of the tree, and no timer is left
        fanout.advance(Duration.ofMinutes(1)).advance(Duration.ofMillis(200));
        TREE_STORES.forEach(store -> assertThat(entries(store)).as(store).isZero());
        assertThat(entries(TopologyNames.TREE_TIMERS)).isZero();
    }

    @Test
    void aRunningTreeIsNeverRemoved() {
        // Given a zero retention and a tree whose run is out
        fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.TREE_RETENTION_MS, 0L));
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.emit(event("e1").build());

        // When a day passes, then the tree and its run are still there
        fanout.advance(Duration.ofDays(1));
        assertThat(entries(TopologyNames.TREE_TREES)).isEqualTo(1);
        assertThat(entries(TopologyNames.TREE_RUNS)).isEqualTo(1);
    }

    @Test
    void aWideTreeIsRemovedABatchPerPunctuationGoingOnFromWhereItStopped() {
        // Given removals of at most 4 entries per punctuation and a tree of 10 children, done
        fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.TREE_RETENTION_MS, 1_000L,
                FanoutConfig.TREE_CLEANUP_BATCH, 4));
        String targets = IntStream.range(0, 10).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.emit(event("wide").setPayload("{\"targets\":[" + targets + "]}").build());
        fanout.triggers().forEach(t -> fanout.report(succeeded(fanout, t, "{}")));
        assertThat(fanout.treeDone()).hasSize(1);

        // When the retention is over, then each punctuation removes at most 4 runs
        fanout.advance(Duration.ofMillis(1_000));
        assertThat(entries(TopologyNames.TREE_RUNS)).isEqualTo(6);
        fanout.advance(Duration.ofMillis(200));
        assertThat(entries(TopologyNames.TREE_RUNS)).isEqualTo(2);
        assertThat(entries(TopologyNames.TREE_TREES)).isEqualTo(1);

        // When two more punctuations pass, then the rest of the tree is gone
        fanout.advance(Duration.ofMillis(200)).advance(Duration.ofMillis(200));
        TREE_STORES.forEach(store -> assertThat(entries(store)).as(store).isZero());
    }

    @Test
    void lateReportsOfARemovedTreeAreIgnoredWithoutOutputOrDeadLetter() {
        // Given a tree removed after its retention
        fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.TREE_RETENTION_MS, 1_000L));
        List<Trigger> triggers = runNestedTreeToTheEnd("e1");
        fanout.advance(Duration.ofSeconds(2));
        assertThat(entries(TopologyNames.TREE_TREES)).isZero();

        // When a worker reports a run of it again
        fanout.report(succeeded(fanout, triggers.get(0), "{}"));
        fanout.advance(Duration.ofSeconds(2));

        // Then nothing is written, nothing dead-lettered, and no state comes back
        assertThat(fanout.triggers()).isEmpty();
        assertThat(fanout.fanOutDone()).isEmpty();
        assertThat(fanout.treeDone()).isEmpty();
        assertThat(fanout.treeProgress()).isEmpty();
        assertThat(fanout.deadLetters()).isEmpty();
        TREE_STORES.forEach(store -> assertThat(entries(store)).as(store).isZero());
    }

    @Test
    void aTreeWithDependenciesAndCompensationsLeavesNothingBehindEither() {
        // Given a tree whose fan-out had a dependency and a compensation, failed and was compensated
        fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.TREE_RETENTION_MS, 1_000L));
        fanout.subscribe(subscription("app-a", "step").setCompensateWorkflow("undo").build());
        fanout.subscribe(subscription("app-b", "after").setDependsOn(SiblingDependenciesTest.all("app-a/step")).build());
        fanout.emit(event("e1").build());
        fanout.report(Reports.succeeded(fanout, fanout.triggers().get(0), "{}"));
        fanout.report(Reports.failed(fanout, fanout.triggers().get(0), "no", false));
        fanout.report(Reports.succeeded(fanout, fanout.triggers().get(0), "{}"));
        assertThat(fanout.treeDone()).hasSize(1);
        assertThat(entries(TopologyNames.TREE_SIBLING_GROUPS)).isEqualTo(2);

        // When its retention is over, then no store holds anything of it, its compensation run included
        fanout.advance(Duration.ofSeconds(2)).advance(Duration.ofMillis(200));
        TREE_STORES.forEach(store -> assertThat(entries(store)).as(store).isZero());
    }

    @Test
    void anEventNamingARunOfARemovedTreeAsParentGoesToTheDeadLetters() {
        // Given a tree removed after its retention
        fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.TREE_RETENTION_MS, 1_000L));
        List<Trigger> triggers = runNestedTreeToTheEnd("e1");
        fanout.advance(Duration.ofSeconds(2));

        // When one of its runs emits an event late
        fanout.emit(childEvent("late", "app-a:image", "e1", triggers.get(0).getRunId()).build());

        // Then it is refused to the dead letters, naming the unknown parent
        assertThat(fanout.deadLetters()).hasSize(1);
        assertThat(fanout.triggers()).isEmpty();
    }

    /** app-a runs, emits an event app-c takes; both succeed. Returns [a, c]. */
    private List<Trigger> runNestedTreeToTheEnd(String treeId) {
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.subscribe(subscription("app-c", "on-image").setArtifact("app-a:image").build());
        fanout.emit(event(treeId).build());
        Trigger a = fanout.triggers().get(0);
        fanout.emit(childEvent(treeId + "-child", "app-a:image", treeId, a.getRunId()).build());
        Trigger c = fanout.triggers().get(0);
        fanout.report(succeeded(fanout, a, "{}"));
        fanout.report(succeeded(fanout, c, "{}"));
        assertThat(fanout.treeDone()).hasSize(1);
        fanout.treeProgress();
        fanout.fanOutDone();
        return List.of(a, c);
    }

    private long entries(String store) {
        KeyValueStore<Object, Object> kv = fanout.driver().getKeyValueStore(store);
        long count = 0;
        try (KeyValueIterator<Object, Object> all = kv.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }
}
