package dev.fanout.tree;

import static dev.fanout.config.TopologyNames.TREE_CHILDREN;
import static dev.fanout.config.TopologyNames.TREE_CHILD_FAN_OUTS;
import static dev.fanout.config.TopologyNames.TREE_COORDINATE;
import static dev.fanout.config.TopologyNames.TREE_DROP_EMPTY_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_EXPECTED_FAN_OUTS;
import static dev.fanout.config.TopologyNames.TREE_FAN_OUTS;
import static dev.fanout.config.TopologyNames.TREE_FAN_OUT_DONE_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_KEY_STATUSES_BY_TREE;
import static dev.fanout.config.TopologyNames.TREE_MERGE_INPUTS;
import static dev.fanout.config.TopologyNames.TREE_PROGRESS_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_PROGRESS_PENDING;
import static dev.fanout.config.TopologyNames.TREE_QUEUED;
import static dev.fanout.config.TopologyNames.TREE_READ_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_RESULTS;
import static dev.fanout.config.TopologyNames.TREE_RUNS;
import static dev.fanout.config.TopologyNames.TREE_SPLIT_OUTPUTS;
import static dev.fanout.config.TopologyNames.TREE_STAMP_STATUS_ORIGIN;
import static dev.fanout.config.TopologyNames.TREE_STATUSES_BY_TREE;
import static dev.fanout.config.TopologyNames.TREE_TIMERS;
import static dev.fanout.config.TopologyNames.TREE_TREES;
import static dev.fanout.config.TopologyNames.TREE_TREES_BY_START;
import static dev.fanout.config.TopologyNames.TREE_TREE_DONE_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_TRIGGERS_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_FAN_OUT_DONE;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_PROGRESS;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_TREE_DONE;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_TRIGGERS;
import static dev.fanout.config.TopologyNames.TREE_WRAP_PLANS;
import static dev.fanout.config.TopologyNames.TREE_WRAP_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_WRITE_FAN_OUT_DONE;
import static dev.fanout.config.TopologyNames.TREE_WRITE_PROGRESS;
import static dev.fanout.config.TopologyNames.TREE_WRITE_TREE_DONE;
import static dev.fanout.config.TopologyNames.TREE_WRITE_TRIGGERS;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import dev.fanout.deadletter.OriginHeaders;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The tree stage, keyed by tree id: everything about one tree lives on one partition, so a child's
 * depth, its parent run and every counter it moves are local reads and writes.
 *
 * <p>It is split where the keys change: workers report statuses keyed by run id, so they are re-keyed
 * by tree id through their own repartition topic, which is co-partitioned with the plans; the two are
 * merged into the {@link TreeCoordinator}, whose output is split into the four topics it writes.
 */
public final class TreeTopology {

    private final FanoutTopics topics;
    private final FanoutConfig config;

    public TreeTopology(FanoutTopics topics, FanoutConfig config) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Adds the tree stage, fed by the matcher's plans keyed by tree id. */
    public void build(StreamsBuilder builder, KStream<String, PlanRecord> plans) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(plans, "plans");
        addStores(builder);
        Topic<String, RunStatus> runStatus = topics.runStatus();
        KStream<String, TreeInput> statuses = builder.stream(runStatus.name(),
                        Consumed.with(runStatus.keySerde(), runStatus.valueSerde()).withName(TREE_READ_STATUSES))
                .filter((runId, status) -> status != null, Named.as(TREE_DROP_EMPTY_STATUSES))
                .process(OriginHeaders<String, RunStatus>::new, Named.as(TREE_STAMP_STATUS_ORIGIN))
                .selectKey((runId, status) -> status.getTreeId(), Named.as(TREE_KEY_STATUSES_BY_TREE))
                .repartition(Repartitioned.<String, RunStatus>as(TREE_STATUSES_BY_TREE)
                        .withKeySerde(Serdes.String()).withValueSerde(runStatus.valueSerde()))
                .mapValues(TreeInput::of, Named.as(TREE_WRAP_STATUSES));
        Map<String, KStream<String, TreeOutput>> outputs = plans
                .mapValues(TreeInput::of, Named.as(TREE_WRAP_PLANS))
                .merge(statuses, Named.as(TREE_MERGE_INPUTS))
                .process(() -> new TreeCoordinator(config), Named.as(TREE_COORDINATE), TREE_RUNS, TREE_FAN_OUTS,
                        TREE_TREES, TREE_RESULTS, TREE_QUEUED, TREE_TIMERS, TREE_PROGRESS_PENDING, TREE_CHILDREN,
                        TREE_CHILD_FAN_OUTS, TREE_TREES_BY_START, TREE_EXPECTED_FAN_OUTS)
                .split(Named.as(TREE_SPLIT_OUTPUTS))
                .branch((key, out) -> out instanceof TreeOutput.Release, Branched.as(TREE_TRIGGERS_BRANCH))
                .branch((key, out) -> out instanceof TreeOutput.FanOutFinished, Branched.as(TREE_FAN_OUT_DONE_BRANCH))
                .branch((key, out) -> out instanceof TreeOutput.TreeFinished, Branched.as(TREE_TREE_DONE_BRANCH))
                .branch((key, out) -> out instanceof TreeOutput.Progress, Branched.as(TREE_PROGRESS_BRANCH))
                .noDefaultBranch();
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_TRIGGERS_BRANCH), topics.triggers(), TREE_UNWRAP_TRIGGERS,
                TREE_WRITE_TRIGGERS);
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_FAN_OUT_DONE_BRANCH), topics.fanOutDone(), TREE_UNWRAP_FAN_OUT_DONE,
                TREE_WRITE_FAN_OUT_DONE);
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_TREE_DONE_BRANCH), topics.treeDone(), TREE_UNWRAP_TREE_DONE,
                TREE_WRITE_TREE_DONE);
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_PROGRESS_BRANCH), topics.treeProgress(), TREE_UNWRAP_PROGRESS,
                TREE_WRITE_PROGRESS);
    }

    private static <V extends SpecificRecord> void write(KStream<String, TreeOutput> branch, Topic<String, V> topic,
            String unwrap, String write) {
        branch.mapValues(out -> topic.valueType().cast(out.value()), Named.as(unwrap))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(write));
    }

    private void addStores(StreamsBuilder builder) {
        store(builder, TREE_RUNS, Serdes.String(), avro(RunNode.class), false);
        store(builder, TREE_FAN_OUTS, Serdes.String(), avro(FanOutNode.class), true);
        store(builder, TREE_TREES, Serdes.String(), avro(TreeNode.class), true);
        store(builder, TREE_RESULTS, Serdes.String(), avro(ChildResult.class), false);
        store(builder, TREE_QUEUED, Serdes.String(), Serdes.String(), false);
        store(builder, TREE_TIMERS, Serdes.Bytes(), avro(Timer.class), false);
        store(builder, TREE_PROGRESS_PENDING, Serdes.String(), Serdes.Long(), true);
        store(builder, TREE_CHILDREN, Serdes.String(), Serdes.String(), false);
        store(builder, TREE_CHILD_FAN_OUTS, Serdes.String(), Serdes.String(), false);
        store(builder, TREE_TREES_BY_START, Serdes.String(), Serdes.String(), false);
        store(builder, TREE_EXPECTED_FAN_OUTS, Serdes.String(), Serdes.String(), false);
    }

    private <T extends SpecificRecord> Serde<T> avro(Class<T> type) {
        return topics.serdes().forValues(type);
    }

    /**
     * A RocksDB store, behind Streams' record cache when {@code cached}. The coordinator rewrites the same
     * few keys for every child (its fan-out's node and its tree's node, several times per record): for
     * those the cache keeps the latest value and writes it to RocksDB and the changelog once per commit
     * instead of at every put. Stores with one key per child (runs, results, queue, timers) stay uncached:
     * each key is written about twice in all, and in the completions benchmark's profile looking them up in
     * the cache's sorted map cost more than the writes it saved (docs/benchmarks.md).
     */
    private static <K, V> void store(StreamsBuilder builder, String name, Serde<K> keys, Serde<V> values, boolean cached) {
        var store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values);
        builder.addStateStore(cached ? store.withCachingEnabled() : store);
    }
}
