package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchContext;
import dev.fanout.bench.Measurement;
import dev.fanout.bench.Scenario;
import dev.fanout.bench.report.Figures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Tree-done latency at about half of the maximum load: trees of the completions scenario's shape are sent
 * at a steady pace worth half the children per second that scenario reached in the same run, and for each
 * tree the time from its last child's {@code RunStatus} being sent by the worker to its {@code TreeDone}
 * being read (read_committed) is taken; p50, p90, p99 and max over the timed trees. Beside the load it aimed
 * at it reports the load it achieved: the timed trees' children over the time from the first timed event
 * sent to the last timed tree's {@code TreeDone} read, which falls short of the aim when the pipeline
 * cannot keep up.
 *
 * <p>The topology's JVM is new, so the timed trees follow a warm-up at the same pace, long enough for it to
 * compile its hot code and work off the queue it built meanwhile: on two cores that took 10 to 20 s of the
 * 6 s the warm-up once was, and those seconds (latencies up to 3 s) decided the p99 of the whole run.
 */
public final class LatencyScenario implements Scenario {

    public static final Duration FULL_DURATION = Duration.ofSeconds(30);
    public static final Duration QUICK_DURATION = Duration.ofSeconds(2);
    public static final Duration FULL_WARM_UP = Duration.ofSeconds(30);
    public static final Duration QUICK_WARM_UP = Duration.ofMillis(400);
    static final double LOAD_SHARE = 0.5;
    static final String AIMED = "load aimed at (half of completions)";
    static final String ACHIEVED = "load achieved";
    private static final String TIMED = "timed-";

    private final Duration duration;
    private final Duration warmUp;
    private final int childrenPerTree;

    public LatencyScenario(Duration duration, Duration warmUp, int childrenPerTree) {
        this.duration = duration;
        this.warmUp = warmUp;
        this.childrenPerTree = childrenPerTree;
    }

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public boolean warmsUpItself() {
        return true;
    }

    @Override
    public String description() {
        return "tree-done p50/p99 from the last child's RunStatus sent to TreeDone read, at half the completions rate, for "
                + Figures.seconds(duration.toMillis()) + " after " + Figures.seconds(warmUp.toMillis()) + " of warm-up";
    }

    @Override
    public List<String> requires() {
        return List.of("completions");
    }

    @Override
    public List<Measurement> run(BenchContext context) {
        double max = context.baseline("completions", CompletionsScenario.THROUGHPUT, "children/s").value();
        double treesPerSecond = Math.max(1, LOAD_SHARE * max / childrenPerTree);
        long intervalNanos = (long) (1e9 / treesPerSecond);
        Workload w = Workload.byForeach("latency:bench", childrenPerTree);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong lastTimedDoneNanos = new AtomicLong();
        try (Pipeline pipeline = Pipeline.start(context, "latency", Map.of());
             SyntheticWorkers workers = new SyntheticWorkers(pipeline, SyntheticWorkers.Answer.STARTED_THEN_SUCCEEDED);
             TreeDoneReader done = new TreeDoneReader(pipeline, (tree, at) -> {
                 Long sent = workers.lastStatusNanos(tree.getTreeId());
                 if (tree.getTreeId().startsWith(TIMED)) {
                     if (sent != null) {
                         latencies.add(at - sent);
                     }
                     lastTimedDoneNanos.accumulateAndGet(at, Math::max);
                 }
                 workers.forget(tree.getTreeId());
             })) {
            pipeline.subscribe(w.subscriptions(), Duration.ofMinutes(2));
            // Warm-up at the same pace, not counted (class comment).
            int warm = (int) Math.max(5, treesPerSecond * warmUp.toMillis() / 1_000);
            pace(pipeline, done, w, "warm-", warm, intervalNanos);
            int timed = (int) Math.max(10, treesPerSecond * duration.toMillis() / 1_000);
            long timedStart = pace(pipeline, done, w, TIMED, timed, intervalNanos);
            done.awaitExpected(Duration.ofMinutes(5), workers::check, (warm + timed) + " trees");
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            long timedChildren = (long) timed * w.children();
            List<Measurement> out = new ArrayList<>();
            out.add(Measurement.of(AIMED, timedChildren / (timed * intervalNanos / 1e9), "children/s"));
            out.add(Measurement.of(ACHIEVED, timedChildren / ((lastTimedDoneNanos.get() - timedStart) / 1e9), "children/s"));
            out.add(Measurement.of("p50", percentile(sorted, 50), "ms"));
            out.add(Measurement.of("p90", percentile(sorted, 90), "ms"));
            out.add(Measurement.of("p99", percentile(sorted, 99), "ms"));
            out.add(Measurement.of("max", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, "ms"));
            return out;
        }
    }

    /**
     * Sends {@code count} events one {@code intervalNanos} apart (open loop: a late send does not delay the
     * next), each tree expected by {@code done}; returns the {@link System#nanoTime()} of the first send.
     */
    private static long pace(Pipeline pipeline, TreeDoneReader done, Workload w, String prefix, int count,
                             long intervalNanos) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            String id = prefix + i;
            done.expect(id, w.children());
            pipeline.emit(w.event(id));
            pipeline.flushEvents();
        }
        return start;
    }

    /** Nearest-rank percentile, in milliseconds. */
    static double percentile(long[] sortedNanos, int p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

}
