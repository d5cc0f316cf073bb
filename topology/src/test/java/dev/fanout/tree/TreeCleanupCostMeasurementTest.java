package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one cleanup punctuation costs on RocksDB: a 10,000-child tree is removed 1,000 entries per
 * punctuation, so the stream thread is held for one batch at a time, never for the whole tree.
 */
class TreeCleanupCostMeasurementTest {

    private static final int CHILDREN = 10_000;

    @TempDir
    Path stateDir;

    @Test
    void aTenThousandChildTreeIsRemovedInBatchesOfAThousandEachOfBoundedCost() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.TREE_RETENTION_MS, 1_000L,
                FanoutConfig.TREE_CLEANUP_BATCH, 1_000))) {
            // Given a done tree of 10,000 children
            String targets = IntStream.range(0, CHILDREN).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
            fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
            fanout.emit(event("wide").setPayload("{\"targets\":[" + targets + "]}").build());
            List<Trigger> triggers = fanout.triggers();
            assertThat(triggers).hasSize(CHILDREN);
            for (Trigger t : triggers) {
                fanout.report(RunStatus.newBuilder().setRunId(t.getRunId()).setTreeId(t.getTreeId())
                        .setAttempt(t.getAttempt()).setStatus(RunState.SUCCEEDED).setReportedAt(fanout.now()).build());
            }
            assertThat(fanout.treeDone()).hasSize(1);

            // When the retention is over, punctuation after punctuation
            fanout.advance(Duration.ofMillis(800));
            int punctuations = 0;
            long slowestNanos = 0;
            while (count(fanout, TopologyNames.TREE_TREES) > 0 && punctuations < 100) {
                long started = System.nanoTime();
                fanout.advance(Duration.ofMillis(200));
                slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
                punctuations++;
            }

            // Then it took one punctuation per thousand runs (plus one for the fan-out and the tree)
            System.out.printf("cleanup of %,d children: %d punctuations, slowest %.1f ms%n", CHILDREN, punctuations,
                    slowestNanos / 1e6);
            assertThat(punctuations).isEqualTo(CHILDREN / 1_000 + 1);
            assertThat(count(fanout, TopologyNames.TREE_RUNS)).isZero();
            assertThat(count(fanout, TopologyNames.TREE_CHILDREN)).isZero();
        }
    }

    private static long count(FanoutDriver fanout, String store) {
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
