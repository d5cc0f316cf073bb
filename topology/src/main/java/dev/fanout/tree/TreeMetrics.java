package dev.fanout.tree;

import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.TreeNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import dev.fanout.tree.timer.Timers;

/**
 * The coordinator's metrics, as Kafka Streams custom metrics per task (group {@value #GROUP}), so they
 * travel with Streams' own through JMX or any metrics reporter: trees and fan-outs in flight (counted
 * from the restored stores a batch per timer punctuation, {@link InFlightCensus}), queued
 * children and timers pending (approximate store sizes), and the time from the last child's end to TreeDone.
 */
final class TreeMetrics {

    static final String GROUP = "fanout-tree";
    static final String TREE_DONE_LAG = "tree-done-lag-ms";
    /** Store entries counted per timer punctuation after a task starts: a million in about 200 s. */
    static final int CENSUS_BATCH = 1_000;

    private final StreamsMetrics metrics;
    private final Sensor treeDoneLag;
    private final List<Sensor> gauges = new ArrayList<>();
    private final InFlightCensus<TreeNode> treesInFlight;
    private final InFlightCensus<FanOutNode> fanOutsInFlight;

    TreeMetrics(ProcessorContext<?, ?> context, TreeState state, Timers timers) {
        this.metrics = context.metrics();
        String task = context.taskId().toString();
        Map<String, String> tags = Map.of("task-id", task);
        // Counted from the restored stores a batch per punctuation (countSome), then kept up to date.
        treesInFlight = new InFlightCensus<>(state.trees(), tree -> !tree.getDone());
        fanOutsInFlight = new InFlightCensus<>(state.fanOuts(), fanOut -> !Statuses.isFinished(fanOut));
        countSome(); // a first batch: a task with few trees is counted before its first record
        gauge("trees-in-flight", "Trees of the task not yet done", tags, treesInFlight::count);
        gauge("fan-outs-in-flight", "Fan-outs of the task not yet finished", tags, fanOutsInFlight::count);
        gauge("queued-children", "Children waiting for a concurrency slot", tags,
                () -> state.queued().approximateNumEntries());
        gauge("timers-pending", "Timers not yet fired", tags, timers::pending);
        treeDoneLag = metrics.addSensor(GROUP + "." + TREE_DONE_LAG + "." + task, Sensor.RecordingLevel.INFO);
        treeDoneLag.add(new MetricName(TREE_DONE_LAG + "-avg", GROUP,
                "Time from the last child's end to TreeDone", tags), new Avg());
        treeDoneLag.add(new MetricName(TREE_DONE_LAG + "-max", GROUP,
                "Longest time from the last child's end to TreeDone", tags), new Max());
    }

    /** Counts on over the stores restored when the task started, {@value #CENSUS_BATCH} entries of each. */
    void countSome() {
        treesInFlight.countSome(CENSUS_BATCH);
        fanOutsInFlight.countSome(CENSUS_BATCH);
    }

    void treeStarted(String treeId) {
        treesInFlight.started(treeId);
    }

    void fanOutStarted(String fanOutId) {
        fanOutsInFlight.started(fanOutId);
    }

    void fanOutFinished(String fanOutId) {
        fanOutsInFlight.finished(fanOutId);
    }

    void treeDone(TreeNode tree, long nowMs) {
        treesInFlight.finished(tree.getTreeId());
        if (tree.getLastChildAt() > 0) {
            treeDoneLag.record(Math.max(0, nowMs - tree.getLastChildAt()));
        }
    }

    void close() {
        metrics.removeSensor(treeDoneLag);
        gauges.forEach(metrics::removeSensor);
    }

    private void gauge(String name, String description, Map<String, String> tags, LongSupplier value) {
        // StreamsMetrics has no gauge; a sensor whose only stat reads the value when measured is one.
        Sensor sensor = metrics.addSensor(GROUP + "." + name + "." + tags.get("task-id"), Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, GROUP, description, tags), new Reading(value));
        gauges.add(sensor);
    }

    /** A stat that records nothing and measures the current value. */
    private record Reading(LongSupplier value) implements MeasurableStat {
        @Override
        public void record(MetricConfig config, double recorded, long timeMs) {
        }

        @Override
        public double measure(MetricConfig config, long now) {
            return value.getAsLong();
        }
    }
}
