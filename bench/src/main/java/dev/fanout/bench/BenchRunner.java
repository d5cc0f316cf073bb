package dev.fanout.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs the chosen scenarios several times. Runs are interleaved (run 1 of every scenario, then run 2, ...)
 * rather than one scenario N times then the next: a scenario's ratio to the ceiling is taken against the
 * ceiling of its own run, and a noisy minute on the machine then spoils one run of each, not all runs of
 * one. Warm-up runs go first and are not reported: the first pass through a client or a topology in a
 * fresh JVM runs interpreted code and would otherwise make run 1 an outlier of every scenario. Scenarios
 * that {@linkplain Scenario#warmsUpItself() warm themselves up} in every run are left out of the warm-ups.
 */
public final class BenchRunner {

    private final List<Scenario> scenarios;
    private final int warmups;
    private final int runs;
    private final Progress progress;

    public BenchRunner(List<Scenario> scenarios, int warmups, int runs, Progress progress) {
        this.scenarios = List.copyOf(Objects.requireNonNull(scenarios, "scenarios"));
        this.progress = Objects.requireNonNull(progress, "progress");
        if (runs < 1) {
            throw new IllegalArgumentException("runs is " + runs + ": run each scenario at least once");
        }
        if (warmups < 0) {
            throw new IllegalArgumentException("warm-ups is " + warmups + ": use 0 or more");
        }
        this.warmups = warmups;
        this.runs = runs;
    }

    public BenchReport run(String bootstrapServers) {
        return run(bootstrapServers, null);
    }

    /** Runs against the broker and, for the scenarios that run the topology, the registry beside it. */
    public BenchReport run(String bootstrapServers, String registryUrl) {
        Machine machine = Machine.current();
        String startedAt = Instant.now().toString();
        for (int warmup = 1; warmup <= warmups; warmup++) {
            runAll(bootstrapServers, registryUrl, warmup, warmups, true);
        }
        List<RunResult> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            results.addAll(runAll(bootstrapServers, registryUrl, run, runs, false));
        }
        return new BenchReport(machine, startedAt, runs, results);
    }

    /** One run of every scenario, each given the figures of the ones before it. */
    private List<RunResult> runAll(String bootstrapServers, String registryUrl, int run, int of, boolean warmup) {
        Map<String, List<Measurement>> thisRun = new LinkedHashMap<>();
        List<RunResult> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            if (warmup && scenario.warmsUpItself()) {
                continue;
            }
            RunResult result = runOnce(scenario, new BenchContext(bootstrapServers, registryUrl, run, of, warmup, thisRun));
            thisRun.put(scenario.name(), result.measurements());
            results.add(result);
        }
        return results;
    }

    private RunResult runOnce(Scenario scenario, BenchContext context) {
        progress.started(scenario.name(), context.label());
        CpuWatch cpu = CpuWatch.start();
        long start = System.nanoTime();
        long startChildCpu = context.childCpuNanos().sum();
        List<Measurement> measurements;
        try {
            measurements = scenario.run(context);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new BenchException("scenario " + scenario.name() + " failed in " + context.label() + ": "
                    + e.getMessage(), e);
        }
        long elapsedNanos = System.nanoTime() - start;
        long elapsed = TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
        CpuShare share = cpu.stop(context.childCpuNanos().sum() - startChildCpu, elapsedNanos);
        RunResult result = new RunResult(scenario.name(), context.run(), elapsed, share, measurements);
        progress.finished(result, context.label());
        return result;
    }
}
