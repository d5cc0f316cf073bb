package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchContext;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

/**
 * Trees of {@code childrenPerTree} children (one subscription, {@code foreach} over the event's items),
 * triggered, completed at once by the {@link SyntheticWorkers} and aggregated into {@code TreeDone}: the
 * end-to-end path. A warm-up batch (not measured) goes first, in the same topology JVM, so that the timed
 * trees find its JIT compiler warm.
 */
final class CompletionLoad {

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
        Workload w = Workload.byForeach("completions:bench", childrenPerTree);
        try (Pipeline pipeline = Pipeline.start(context, name, overrides);
             SyntheticWorkers workers = new SyntheticWorkers(pipeline, true);
             TreeDoneReader done = new TreeDoneReader(pipeline, (tree, at) -> { })) {
            pipeline.subscribe(w.subscriptions(), Duration.ofMinutes(2));
            around.subscribed(pipeline, w);
            Runnable check = () -> {
                workers.check();
                done.check();
            };
            emit(pipeline, w, "warm", warmupTrees);
            Waits.until(() -> done.done() >= warmupTrees, Duration.ofMinutes(5), check, done::done,
                    warmupTrees + " warm-up trees");
            TopologyMain.Stats before = pipeline.topologyStats();
            long benchBefore = benchCpuNanos();
            long start = System.nanoTime();
            emit(pipeline, w, "tree", trees);
            long total = (long) trees * w.children();
            Waits.until(() -> done.done() >= warmupTrees + trees, Duration.ofSeconds(120 + total / 2_000), check,
                    () -> done.done() - warmupTrees, trees + " trees of " + w.children() + " children");
            double seconds = (done.lastNanos() - start) / 1e9;
            long benchCpu = benchCpuNanos() - benchBefore;
            TopologyMain.Stats after = pipeline.topologyStats();
            around.done(pipeline, w, total);
            return new Result(total, seconds, after.cpuNanos() - before.cpuNanos(), benchCpu);
        }
    }

    private static void emit(Pipeline pipeline, Workload w, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            pipeline.emit(w.event(prefix + "-" + i));
        }
        pipeline.flushEvents();
    }

    static long benchCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
