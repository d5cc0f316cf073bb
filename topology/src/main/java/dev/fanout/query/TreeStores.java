package dev.fanout.query;

import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.TreeNode;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The tree coordinator's stores of one partition (or, in tests, of a {@code TopologyTestDriver}), read only:
 * everything the read model answers from.
 */
public interface TreeStores {

    ReadOnlyKeyValueStore<String, TreeNode> trees();

    ReadOnlyKeyValueStore<String, FanOutNode> fanOuts();

    ReadOnlyKeyValueStore<String, RunNode> runs();

    /** {@code tree.children}: children of a parent in plan order → run id. */
    ReadOnlyKeyValueStore<String, String> children();

    /** {@code tree.child-fan-outs}: fan-outs of a parent in the order they opened → fan-out id. */
    ReadOnlyKeyValueStore<String, String> childFanOuts();

    /** {@code tree.trees-by-start}: trees newest first → tree id. */
    ReadOnlyKeyValueStore<String, String> treesByStart();
}
