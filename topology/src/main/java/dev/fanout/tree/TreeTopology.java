package dev.fanout.tree;

import static dev.fanout.config.TopologyNames.TREE_APPLY_PLAN;
import static dev.fanout.config.TopologyNames.TREE_FAN_OUTS;
import static dev.fanout.config.TopologyNames.TREE_RUNS;
import static dev.fanout.config.TopologyNames.TREE_WRITE_TRIGGERS;

import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The tree stage, keyed by tree id: everything about one tree lives on one partition, so a child's
 * depth and ancestor path come from its parent run's node without any lookup across partitions.
 * Today it places plans in their tree and writes triggers (fire and forget); the execution-tree
 * coordinator (run statuses, counts, FanOutDone and TreeDone) extends this sub-topology and its stores.
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
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TREE_RUNS),
                Serdes.String(), topics.serdes().forValues(RunNode.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TREE_FAN_OUTS),
                Serdes.String(), topics.serdes().forValues(FanOutNode.class)));
        Lineage lineage = new Lineage(config.maxDepth());
        Topic<String, Trigger> triggers = topics.triggers();
        plans.process(() -> new PlanApplier(lineage), Named.as(TREE_APPLY_PLAN), TREE_RUNS, TREE_FAN_OUTS)
                .to(triggers.name(), Produced.with(triggers.keySerde(), triggers.valueSerde())
                        .withName(TREE_WRITE_TRIGGERS));
    }
}
