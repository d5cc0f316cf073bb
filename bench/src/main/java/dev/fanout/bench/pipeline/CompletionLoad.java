package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchContext;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Trees of {@code childrenPerTree} children (one subscription, {@code foreach} over the event's items),
 * triggered, completed at once by the workers and aggregated into {@code TreeDone}: the end-to-end path.
 * A warm-up batch (not measured) goes first, in the same topology JVM, so that the timed trees find its JIT
 * compiler warm. Every tree must end with all its children succeeded ({@link ExpectedTrees}).
 */
final class CompletionLoad {

    /** Whoever answers the triggers during a load: the synthetic workers, or the worker SDK's. */
    interface Workers extends AutoCloseable {

        /** Rethrows what stopped the workers, if anything did. */
        void check();

        @Override
        void close();
    }

    /** The synthetic workers sending what the SDK sends for a run that succeeds: the scenarios' default. */
    static final BiFunction<Pipeline, Workload, Workers> SYNTHETIC =
            (pipeline, workload) -> new SyntheticWorkers(pipeline, SyntheticWorkers.Answer.STARTED_THEN_SUCCEEDED);

    /**
     * @param children        children completed in the timed part
     * @param seconds         from the first timed event sent to the last of their TreeDone read
     * @param topologyCpuNanos CPU time of the topology's JVM during the timed part
     * @param benchCpuNanos   CPU time of the bench's JVM (broker, registry, workers, readers) during it
     */
    record Result(long children, double seconds, long topologyCpuNanos, long benchCpuNanos) {
        double childrenPerSecond() {
            return children / seconds;
        }

        double topologyCpuMicrosPerChild() {
            return topologyCpuNanos / 1e3 / children;
        }

        double totalCpuMicrosPerChild() {
            return (topologyCpuNanos + benchCpuNanos) / 1e3 / children;
        }
    }

    private CompletionLoad() {
    }

    /** Runs {@code trees} trees as fast as they can be sent, after {@code warmupTrees} untimed ones. */
    static Result run(BenchContext context, String name, Map<String, Object> overrides, int trees, int warmupTrees,
                      int childrenPerTree) {
        return run(context, name, overrides, trees, warmupTrees, childrenPerTree, Around.NOTHING);
    }

    /** What a variant of the load does to the pipeline once subscribed, and checks once the timed trees are done. */
    interface Around {
        Around NOTHING = new Around() {
        };

        default void subscribed(Pipeline pipeline, Workload workload) {
        }

        default void done(Pipeline pipeline, Workload workload, long timedChildren) {
        }
    }

    /** As {@link #run(BenchContext, String, Map, int, int, int)}, with {@code around} before and after. */
    static Result run(BenchContext context, String name, Map<String, Object> overrides, int trees, int warmupTrees,
                      int childrenPerTree, Around around) {
        return runInTurn(context, name, overrides, childrenPerTree, List.of(new Turn(SYNTHETIC, trees, warmupTrees)),
                around).get(0);
    }

    /** One kind of workers' part of a load: {@code trees} timed trees after {@code warmupTrees} untimed ones. */
    record Turn(BiFunction<Pipeline, Workload, Workers> workers, int trees, int warmupTrees) {
    }

    /**
     * Runs one load per turn, in turn, against one topology: each turn's workers are started, get their own
     * warm-up and timed trees, and are closed before the next turn's start. A worker started later reads
     * only the triggers written after it started, so it never answers the trees of the turns before it.
     */
    static List<Result> runInTurn(BenchContext context, String name, Map<String, Object> overrides, int childrenPerTree,
                                  List<Turn> turns) {
        return runInTurn(context, name, overrides, childrenPerTree, turns, Around.NOTHING);
    }

    private static List<Result> runInTurn(BenchContext context, String name, Map<String, Object> overrides,
                                          int childrenPerTree, List<Turn> turns, Around around) {
        Workload w = Workload.byForeach("completions:bench", childrenPerTree);
        List<Result> results = new ArrayList<>();
        try (Pipeline pipeline = Pipeline.start(context, name, overrides);
             TreeDoneReader done = new TreeDoneReader(pipeline, (tree, at) -> { })) {
            pipeline.subscribe(w.subscriptions(), Duration.ofMinutes(2));
            around.subscribed(pipeline, w);
            for (int k = 0; k < turns.size(); k++) {
                Turn turn = turns.get(k);
                String prefix = turns.size() == 1 ? "" : k + "-";
                try (Workers answering = turn.workers().apply(pipeline, w)) {
                    Result result = timed(pipeline, done, answering, w, prefix, turn.trees(), turn.warmupTrees());
                    around.done(pipeline, w, result.children());
                    results.add(result);
                }
            }
        }
        return results;
    }

    private static Result timed(Pipeline pipeline, TreeDoneReader done, Workers answering, Workload w, String prefix,
                                int trees, int warmupTrees) {
        emit(pipeline, done, w, prefix + "warm", warmupTrees);
        done.awaitExpected(Duration.ofMinutes(5), answering::check, warmupTrees + " warm-up trees");
        TopologyMain.Stats before = pipeline.topologyStats();
        long benchBefore = benchCpuNanos();
        long start = System.nanoTime();
        emit(pipeline, done, w, prefix + "tree", trees);
        long total = (long) trees * w.children();
        done.awaitExpected(Duration.ofSeconds(120 + total / 1_000), answering::check,
                trees + " trees of " + w.children() + " children");
        double seconds = (done.lastNanos() - start) / 1e9;
        long benchCpu = benchCpuNanos() - benchBefore;
        TopologyMain.Stats after = pipeline.topologyStats();
        return new Result(total, seconds, after.cpuNanos() - before.cpuNanos(), benchCpu);
    }

    private static void emit(Pipeline pipeline, TreeDoneReader done, Workload w, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            done.expect(id, w.children());
            pipeline.emit(w.event(id));
        }
        pipeline.flushEvents();
    }

    static long benchCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
