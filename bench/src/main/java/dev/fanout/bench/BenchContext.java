package dev.fanout.bench;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a scenario gets for one run: the broker, which run this is, and the figures the scenarios before it
 * reported in this same run, so that it can report its own as ratios to them.
 *
 * @param bootstrapServers the broker to run against
 * @param registryUrl      the Schema Registry beside it, or null when the bench runs without one
 * @param run              1-based number of this run among the measured runs, or among the warm-ups
 * @param runs             how many measured runs (or warm-ups) there are
 * @param warmup           whether this is an unreported warm-up run
 * @param earlier          measurements of the scenarios already run in this run, by scenario name
 * @param childCpuNanos    where a scenario adds the CPU time of the processes it started (the topology's
 *                         JVM), so that the run's CPU share counts it as the bench's, not as others'
 */
public record BenchContext(String bootstrapServers, String registryUrl, int run, int runs, boolean warmup,
                           Map<String, List<Measurement>> earlier, LongAdder childCpuNanos) {

    public BenchContext {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        earlier = Map.copyOf(Objects.requireNonNull(earlier, "earlier"));
        Objects.requireNonNull(childCpuNanos, "childCpuNanos");
    }

    public BenchContext(String bootstrapServers, String registryUrl, int run, int runs, boolean warmup,
                        Map<String, List<Measurement>> earlier) {
        this(bootstrapServers, registryUrl, run, runs, warmup, earlier, new LongAdder());
    }

    /** The registry, for scenarios that run the topology. */
    public String requireRegistryUrl() {
        if (registryUrl == null) {
            throw new IllegalStateException("this scenario runs the topology and needs a Schema Registry beside the broker");
        }
        return registryUrl;
    }

    /** {@code run-2} or {@code warmup-1}: unique per run, for the names of the topics a run creates. */
    public String runId() {
        return (warmup ? "warmup-" : "run-") + run;
    }

    /** {@code run 2/3} or {@code warm-up 1/1}, for people. */
    public String label() {
        return (warmup ? "warm-up " : "run ") + run + "/" + runs;
    }

    /** A figure an earlier scenario reported in this run; the scenario must list it in {@link Scenario#requires()}. */
    public Measurement baseline(String scenario, String name, String unit) {
        return earlier.getOrDefault(scenario, List.of()).stream()
                .filter(m -> m.name().equals(name) && m.unit().equals(unit))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + scenario + " measurement '" + name + "' in "
                        + unit + " in " + label() + ": does the scenario list '" + scenario + "' in requires()?"));
    }
}
