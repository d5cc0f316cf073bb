package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchContext;
import dev.fanout.bench.Measurement;
import dev.fanout.bench.Scenario;
import dev.fanout.config.FanoutConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One tree of N children, end to end, each N in a fresh topology JVM capped at {@value Pipeline#HEAP_MIB}
 * MiB of heap: time per child (from the event sent to its {@code TreeDone} read), the topology's peak heap
 * and RSS. The cost per child must stay flat as N grows; time per child carries its ratio to N = 1,000's
 * (or the smallest N above 10) in the same run, and above N = 100,000 to N = 100,000's when that was run
 * too. Before the timed tree, a 1,000-child tree warms the JIT compiler up in the same JVM.
 *
 * <p>N = 1,000,000 is among the default widths, since the width target compares it with N = 100,000: one
 * run of it takes about two minutes here.
 */
public final class WidthScenario implements Scenario {

    public static final List<Integer> FULL_WIDTHS = List.of(10, 1_000, 10_000, 100_000, 1_000_000);
    public static final List<Integer> QUICK_WIDTHS = List.of(10, 200);
    static final int BASELINE_WIDTH = 1_000;
    /** Widths above this compare with it: time per child at N = 1,000,000 against N = 100,000. */
    static final int WIDE_BASELINE_WIDTH = 100_000;
    private static final int WARMUP_WIDTH = 1_000;
    private static final double MIB = 1024.0 * 1024.0;

    private final List<Integer> widths;
    private final int warmupWidth;

    public WidthScenario(List<Integer> widths, boolean quick) {
        this.widths = List.copyOf(Objects.requireNonNull(widths, "widths"));
        if (this.widths.isEmpty()) {
            throw new IllegalArgumentException("width needs at least one tree width, such as 100000");
        }
        for (int n : this.widths) {
            if (n < 1 || n > Workload.MAX_ITEMS) {
                throw new IllegalArgumentException("width: a tree of " + n + " children cannot be made; give a width from 1 to "
                        + Workload.MAX_ITEMS + ", such as 1000000");
            }
        }
        this.warmupWidth = quick ? 10 : WARMUP_WIDTH;
    }

    @Override
    public String name() {
        return "width";
    }

    @Override
    public boolean warmsUpItself() {
        return true;
    }

    @Override
    public String description() {
        return "one tree of N children, N = " + Names.widths(widths) + ": time per child, peak heap and RSS (-Xmx"
                + Pipeline.HEAP_MIB + "m)";
    }

    @Override
    public List<Measurement> run(BenchContext context) {
        List<Measurement> times = new ArrayList<>();
        List<Measurement> memory = new ArrayList<>();
        int widest = widths.stream().mapToInt(Integer::intValue).max().orElse(1);
        for (int n : widths) {
            Workload w = Workload.byForeach("width-" + n + ":bench", n);
            Workload warm = Workload.byForeach("width-warm:bench", warmupWidth);
            // Streams' own transaction timeout (10 s): the matcher plans in steps, so no width needs a longer one.
            Map<String, Object> overrides = new HashMap<>(Pipeline.forLists(Math.max(w.payloadBytes(), warm.payloadBytes())));
            overrides.put(FanoutConfig.MAX_WIDTH, Math.max(widest, 100_000));
            try (Pipeline pipeline = Pipeline.start(context, "width-" + n, overrides);
                 SyntheticWorkers workers = new SyntheticWorkers(pipeline, SyntheticWorkers.Answer.STARTED_THEN_SUCCEEDED);
                 TreeDoneReader done = new TreeDoneReader(pipeline, (tree, at) -> { })) {
                List<dev.fanout.avro.Subscription> subs = new ArrayList<>(w.subscriptions());
                subs.addAll(warm.subscriptions());
                pipeline.subscribe(subs, Duration.ofMinutes(2));
                done.expect("warm-" + n, warm.children());
                pipeline.emit(warm.event("warm-" + n));
                pipeline.flushEvents();
                done.awaitExpected(Duration.ofMinutes(3), workers::check, "the warm-up tree");
                long start = System.nanoTime();
                done.expect("width-" + n, w.children());
                pipeline.emit(w.event("width-" + n));
                pipeline.flushEvents();
                done.awaitExpected(Duration.ofSeconds(180 + n / 1_000), workers::check, "the tree of " + n + " children");
                double micros = (done.lastNanos() - start) / 1e3;
                TopologyMain.Stats stats = pipeline.stopTopology();
                String label = "N=" + n;
                times.add(Measurement.of(label + " time per child", micros / n, "µs"));
                times.add(Measurement.of(label + " children", n / (micros / 1e6), "children/s"));
                memory.add(Measurement.of(label + " peak heap after GC", stats.peakHeapAfterGc() / MIB, "MiB"));
                memory.add(Measurement.of(label + " peak heap used", stats.peakHeapUsed() / MIB, "MiB"));
                memory.add(Measurement.of(label + " peak RSS", stats.peakRss() / MIB, "MiB"));
            }
        }
        List<Measurement> out = withRatios(times);
        out.addAll(memory);
        return out;
    }

    /**
     * Times per child with their ratio to N = 1,000's (or the smallest N above 10's), and above N = 100,000
     * to N = 100,000's when it was run: the comparison the width target is about.
     */
    static List<Measurement> withRatios(List<Measurement> times) {
        List<Measurement> out = new ArrayList<>();
        Measurement baseline = baseline(times);
        Measurement wide = perChild(times, WIDE_BASELINE_WIDTH);
        for (Measurement m : times) {
            if (!m.unit().equals("µs")) {
                out.add(m);
            } else if (wide != null && width(m) > WIDE_BASELINE_WIDTH) {
                out.add(m.relativeTo(wide));
            } else {
                out.add(baseline != null ? m.relativeTo(baseline) : m);
            }
        }
        return out;
    }

    /** N = 1,000's time per child, else the smallest N above 10's, else none. */
    private static Measurement baseline(List<Measurement> times) {
        Measurement thousand = perChild(times, BASELINE_WIDTH);
        return thousand != null ? thousand
                : times.stream().filter(m -> m.unit().equals("µs") && width(m) > 10).findFirst().orElse(null);
    }

    /** The time per child at width {@code n}, or null when it was not run. */
    private static Measurement perChild(List<Measurement> times, int n) {
        return times.stream().filter(m -> m.unit().equals("µs") && width(m) == n).findFirst().orElse(null);
    }

    /** The N of a measurement named {@code N=<n> ...}. */
    private static int width(Measurement m) {
        return Integer.parseInt(m.name().substring(2, m.name().indexOf(' ')));
    }
}
