package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchContext;
import dev.fanout.bench.Measurement;
import dev.fanout.bench.Scenario;
import java.util.List;
import java.util.Map;

/**
 * Many trees at once, end to end: children triggered, completed by workers that answer at once, and
 * aggregated into one {@code TreeDone} per tree; children per second, and CPU time per child.
 */
public final class CompletionsScenario implements Scenario {

    public static final int FULL_TREES = 10_000;
    public static final int QUICK_TREES = 20;
    public static final int FULL_CHILDREN_PER_TREE = 100;
    public static final int QUICK_CHILDREN_PER_TREE = 10;

    static final String THROUGHPUT = "children end to end";

    private final int trees;
    private final int childrenPerTree;

    public CompletionsScenario(int trees, int childrenPerTree) {
        if (trees < 1 || childrenPerTree < 1) {
            throw new IllegalArgumentException("completions needs at least 1 tree of 1 child: " + trees + " x " + childrenPerTree);
        }
        this.trees = trees;
        this.childrenPerTree = childrenPerTree;
    }

    @Override
    public String name() {
        return "completions";
    }

    @Override
    public boolean warmsUpItself() {
        return true;
    }

    @Override
    public String description() {
        return String.format("%,d children across %,d trees, triggered, completed and aggregated: children/s, CPU µs per child",
                (long) trees * childrenPerTree, trees);
    }

    @Override
    public List<String> requires() {
        return List.of("ceiling");
    }

    @Override
    public List<Measurement> run(BenchContext context) {
        Measurement ceiling = Ceiling.of(context);
        CompletionLoad.Result r = CompletionLoad.run(context, "completions", Map.of(), trees, Math.max(5, trees / 20),
                childrenPerTree);
        return List.of(
                Ceiling.ratio(Measurement.of(THROUGHPUT, r.childrenPerSecond(), "children/s"), ceiling),
                Measurement.of("topology CPU per child", r.topologyCpuMicrosPerChild(), "µs"),
                Measurement.of("all CPU per child (topology, broker, workers)", r.totalCpuMicrosPerChild(), "µs"));
    }
}
