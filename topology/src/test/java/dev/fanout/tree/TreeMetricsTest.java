package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's metrics, read as Kafka Streams metrics. */
class TreeMetricsTest {

    @TempDir
    Path stateDir;

    @Test
    void treesInFlightQueuedChildrenAndPendingTimersAreGaugedAndTheTreeDoneLagIsMeasured() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir)) {
            // Given three children, one at a time, with a run timeout each (a timer per triggered run)
            fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets")
                    .setTimeoutMs(600_000L).build());
            fanout.emit(event("e1").setPayload("{\"targets\":[\"t0\",\"t1\",\"t2\"]}")
                    .setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(1).build()).build());

            // Then one tree and one fan-out are in flight, two children are queued and one timer is pending
            assertThat(metric(fanout, "trees-in-flight")).isEqualTo(1.0);
            assertThat(metric(fanout, "fan-outs-in-flight")).isEqualTo(1.0);
            assertThat(metric(fanout, "queued-children")).isEqualTo(2.0);
            assertThat(metric(fanout, "timers-pending")).isEqualTo(1.0);

            // When all succeed, one a second
            for (int i = 0; i < 3; i++) {
                List<Trigger> next = fanout.triggers();
                fanout.advance(Duration.ofSeconds(1));
                fanout.report(succeeded(fanout, next.get(0), "{}"));
            }

            // Then nothing is in flight or queued, and the lag from the last child to TreeDone was measured (0 ms here)
            assertThat(fanout.treeDone()).hasSize(1);
            assertThat(metric(fanout, "trees-in-flight")).isZero();
            assertThat(metric(fanout, "fan-outs-in-flight")).isZero();
            assertThat(metric(fanout, "queued-children")).isZero();
            assertThat(metric(fanout, TreeMetrics.TREE_DONE_LAG + "-max")).isEqualTo(0.0);
        }
    }

    private static double metric(FanoutDriver fanout, String name) {
        return fanout.driver().metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(TreeMetrics.GROUP) && e.getKey().name().equals(name))
                .map(Map.Entry::getValue)
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
                .sum();
    }
}
