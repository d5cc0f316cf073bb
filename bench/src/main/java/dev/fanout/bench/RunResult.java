package dev.fanout.bench;

import java.util.List;
import java.util.Objects;

/**
 * The raw result of one run of one scenario, as written to the JSON file.
 *
 * @param cpu how busy the cores were during the run, by the bench and by other processes: a figure
 *            taken while others were busy says so here
 */
public record RunResult(String scenario, int run, long elapsedMillis, CpuShare cpu, List<Measurement> measurements) {

    public RunResult {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(cpu, "cpu");
        measurements = List.copyOf(Objects.requireNonNull(measurements, "measurements"));
    }
}
