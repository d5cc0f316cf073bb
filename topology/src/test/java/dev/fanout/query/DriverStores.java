package dev.fanout.query;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.TopologyNames;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Writes store values of a {@link FanoutDriver} directly, for states the read model must show before the
 * coordinator produces them in a test (a run waiting for its siblings, a compensation, a cancel).
 */
public final class DriverStores {

    private final FanoutDriver fanout;

    public DriverStores(FanoutDriver fanout) {
        this.fanout = fanout;
    }

    public KeyValueStore<String, RunNode> runs() {
        return fanout.driver().getKeyValueStore(TopologyNames.TREE_RUNS);
    }

    public KeyValueStore<String, FanOutNode> fanOuts() {
        return fanout.driver().getKeyValueStore(TopologyNames.TREE_FAN_OUTS);
    }

    public KeyValueStore<String, TreeNode> trees() {
        return fanout.driver().getKeyValueStore(TopologyNames.TREE_TREES);
    }

    /** Rewrites run {@code runId} with {@code change}. */
    public RunNode run(String runId, Consumer<RunNode.Builder> change) {
        RunNode run = runs().get(runId);
        if (run == null) {
            throw new IllegalArgumentException("no run '" + runId + "' in store " + TopologyNames.TREE_RUNS);
        }
        RunNode.Builder builder = RunNode.newBuilder(run);
        change.accept(builder);
        RunNode changed = builder.build();
        runs().put(runId, changed);
        return changed;
    }

    /** Rewrites fan-out {@code fanOutId} with {@code change}. */
    public void fanOut(String fanOutId, Consumer<FanOutNode.Builder> change) {
        FanOutNode.Builder builder = FanOutNode.newBuilder(fanOuts().get(fanOutId));
        change.accept(builder);
        fanOuts().put(fanOutId, builder.build());
    }

    /** Rewrites tree {@code treeId} with {@code change}. */
    public void tree(String treeId, Consumer<TreeNode.Builder> change) {
        TreeNode.Builder builder = TreeNode.newBuilder(trees().get(treeId));
        change.accept(builder);
        trees().put(treeId, builder.build());
    }
}
