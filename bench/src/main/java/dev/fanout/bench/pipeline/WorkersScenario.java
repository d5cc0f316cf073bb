package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchContext;
import dev.fanout.bench.Measurement;
import dev.fanout.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the worker costs: the completions load, smaller, answered three ways in turn against one topology
 * JVM, each with its own warm-up: by the Java worker SDK ({@link SdkWorkers}), whose handler succeeds at
 * once, for the real cost of a child end to end; by the synthetic workers as every other scenario is
 * (STARTED then SUCCEEDED per trigger); and by synthetic workers sending SUCCEEDED alone (the load the
 * bench once made, which skips a repartition, a store write and two reads per child). The SDK goes first
 * because its consumer group starts from the earliest trigger; the synthetic workers start from the end.
 * The SDK's and SUCCEEDED-only figures carry their ratio to the synthetic workers'.
 */
public final class WorkersScenario implements Scenario {

    public static final int FULL_TREES = 1_000;
    public static final int QUICK_TREES = 10;
    /**
     * The SDK's part is a tenth of the synthetic workers': it completes runs a few hundred a second (each
     * instance fetches {@code concurrency} triggers, pauses its partitions until they are reported, and its
     * next poll waits out its 100 ms timeout), so the same load would take minutes.
     */
    static final int SDK_SHARE = 10;

    static final String SYNTHETIC = "synthetic, STARTED and SUCCEEDED";
    static final String SUCCEEDED_ONLY = "synthetic, SUCCEEDED only";
    static final String SDK = "worker SDK";

    private final int trees;
    private final int childrenPerTree;

    public WorkersScenario(int trees, int childrenPerTree) {
        if (trees < 1 || childrenPerTree < 1) {
            throw new IllegalArgumentException("workers needs at least 1 tree of 1 child: " + trees + " x " + childrenPerTree);
        }
        this.trees = trees;
        this.childrenPerTree = childrenPerTree;
    }

    @Override
    public String name() {
        return "workers";
    }

    @Override
    public boolean warmsUpItself() {
        return true;
    }

    @Override
    public String description() {
        return String.format("%,d children across %,d trees answered by synthetic workers (STARTED and SUCCEEDED, "
                + "SUCCEEDED only), a tenth of them by the worker SDK: children/s, CPU µs per child",
                (long) trees * childrenPerTree, trees);
    }

    @Override
    public List<Measurement> run(BenchContext context) {
        int sdkTrees = Math.max(1, trees / SDK_SHARE);
        List<CompletionLoad.Result> results = CompletionLoad.runInTurn(context, "workers", Map.of(), childrenPerTree, List.of(
                new CompletionLoad.Turn((pipeline, w) -> new SdkWorkers(pipeline, w.repos()), sdkTrees, warmup(sdkTrees)),
                new CompletionLoad.Turn(CompletionLoad.SYNTHETIC, trees, warmup(trees)),
                new CompletionLoad.Turn((pipeline, w) -> new SyntheticWorkers(pipeline, SyntheticWorkers.Answer.SUCCEEDED_ONLY),
                        trees, warmup(trees))));
        CompletionLoad.Result sdk = results.get(0);
        CompletionLoad.Result synthetic = results.get(1);
        CompletionLoad.Result succeededOnly = results.get(2);

        Measurement rate = Measurement.of(SYNTHETIC, synthetic.childrenPerSecond(), "children/s");
        Measurement topologyCpu = Measurement.of(SYNTHETIC + " topology CPU per child", synthetic.topologyCpuMicrosPerChild(), "µs");
        Measurement allCpu = Measurement.of(SYNTHETIC + " all CPU per child", synthetic.totalCpuMicrosPerChild(), "µs");
        List<Measurement> out = new ArrayList<>(List.of(rate,
                Measurement.of(SUCCEEDED_ONLY, succeededOnly.childrenPerSecond(), "children/s").relativeTo(rate),
                Measurement.of(SDK, sdk.childrenPerSecond(), "children/s").relativeTo(rate),
                topologyCpu));
        out.add(Measurement.of(SUCCEEDED_ONLY + " topology CPU per child", succeededOnly.topologyCpuMicrosPerChild(), "µs")
                .relativeTo(topologyCpu));
        out.add(Measurement.of(SDK + " topology CPU per child", sdk.topologyCpuMicrosPerChild(), "µs").relativeTo(topologyCpu));
        out.add(allCpu);
        out.add(Measurement.of(SUCCEEDED_ONLY + " all CPU per child", succeededOnly.totalCpuMicrosPerChild(), "µs")
                .relativeTo(allCpu));
        out.add(Measurement.of(SDK + " all CPU per child", sdk.totalCpuMicrosPerChild(), "µs").relativeTo(allCpu));
        return out;
    }

    private static int warmup(int trees) {
        return Math.max(5, trees / 20);
    }
}
