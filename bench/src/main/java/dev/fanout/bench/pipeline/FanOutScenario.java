package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchContext;
import dev.fanout.bench.Measurement;
import dev.fanout.bench.Scenario;
import dev.fanout.config.FanoutConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event to N triggers: how fast the matcher and the tree coordinator turn one event into N triggers
 * that a worker can read (read_committed). For each width, by N subscriptions and by {@code foreach}, a
 * first event warms the path up and a second is timed, from its send to the moment the synthetic worker
 * has read its last trigger. The topology's CPU time per trigger is taken over the same interval (it includes
 * the stream thread's commits, so at small N it is mostly fixed cost). Both series run in one topology JVM,
 * the subscriptions series first.
 */
public final class FanOutScenario implements Scenario {

    public static final List<Integer> FULL_WIDTHS = List.of(10, 1_000, 100_000);
    public static final List<Integer> QUICK_WIDTHS = List.of(10, 200);

    private final List<Integer> widths;

    public FanOutScenario(List<Integer> widths) {
        this.widths = List.copyOf(Objects.requireNonNull(widths, "widths"));
    }

    @Override
    public String name() {
        return "fan-out";
    }

    @Override
    public boolean warmsUpItself() {
        return true;
    }

    @Override
    public String description() {
        return "one event to N triggers, N = " + Names.widths(widths) + ", by subscriptions and by foreach: triggers/s";
    }

    @Override
    public List<String> requires() {
        return List.of("ceiling");
    }

    @Override
    public List<Measurement> run(BenchContext context) throws Exception {
        Measurement ceiling = Ceiling.of(context);
        List<Measurement> out = new ArrayList<>();
        List<Measurement> cpus = new ArrayList<>();
        int widest = widths.stream().mapToInt(Integer::intValue).max().orElse(1);
        Map<String, Object> overrides = new HashMap<>(Pipeline.forLists(Workload.byForeach("any:bench", widest).payloadBytes()));
        overrides.put(FanoutConfig.MAX_WIDTH, Math.max(widest, 100_000));
        // Both series in one topology: each event's artifact is its own, so one series' subscriptions are
        // never scanned for the other's events, and a topology JVM's start is paid once.
        try (Pipeline pipeline = Pipeline.start(context, "fan-out", overrides);
             SyntheticWorkers workers = new SyntheticWorkers(pipeline, SyntheticWorkers.Answer.NONE)) {
            Map<String, List<Workload>> series = new LinkedHashMap<>();
            List<dev.fanout.avro.Subscription> all = new ArrayList<>();
            for (String mode : List.of("subscriptions", "foreach")) {
                for (int n : widths) {
                    String artifact = "fan-out-" + mode + "-" + n + ":bench";
                    Workload w = mode.equals("subscriptions") ? Workload.bySubscriptions(artifact, n)
                            : Workload.byForeach(artifact, n);
                    series.computeIfAbsent(mode, m -> new ArrayList<>()).add(w);
                    all.addAll(w.subscriptions());
                }
            }
            pipeline.subscribe(all, Duration.ofMinutes(5));
            for (Map.Entry<String, List<Workload>> e : series.entrySet()) {
                String mode = e.getKey();
                for (Workload w : e.getValue()) {
                    timeOne(pipeline, workers, w, "warm-" + w.artifact());
                    long cpuBefore = pipeline.topologyStats().cpuNanos();
                    double rate = timeOne(pipeline, workers, w, "timed-" + w.artifact());
                    long cpu = pipeline.topologyStats().cpuNanos() - cpuBefore;
                    out.add(Ceiling.ratio(Measurement.of(mode + " N=" + w.children(), rate, "triggers/s"), ceiling));
                    cpus.add(Measurement.of(mode + " N=" + w.children() + " topology CPU per trigger",
                            cpu / 1e3 / w.children(), "µs"));
                }
            }
        }
        out.addAll(cpus);
        return out;
    }

    /** Emits one event and returns the rate at which its triggers were read. */
    private static double timeOne(Pipeline pipeline, SyntheticWorkers workers, Workload w, String eventId) {
        long before = workers.triggersRead();
        long target = before + w.children();
        long start = System.nanoTime();
        pipeline.emit(w.event(eventId));
        pipeline.flushEvents();
        Waits.until(() -> workers.triggersRead() >= target, Duration.ofSeconds(120 + w.children() / 1_000),
                workers::check, () -> workers.triggersRead() - before, w.children() + " triggers of " + eventId);
        double seconds = (workers.lastTriggerNanos() - start) / 1e9;
        return w.children() / seconds;
    }
}
