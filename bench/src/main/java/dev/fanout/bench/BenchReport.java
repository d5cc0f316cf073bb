package dev.fanout.bench;

import java.util.List;
import java.util.Objects;

/**
 * Everything one {@code fanout bench} produced: where, when, and each run's raw figures.
 *
 * @param startedAt ISO-8601 instant
 */
public record BenchReport(Machine machine, String startedAt, int runs, List<RunResult> results) {

    public BenchReport {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(startedAt, "startedAt");
        results = List.copyOf(Objects.requireNonNull(results, "results"));
    }

    /** Medians and ranges across runs, one per measurement. */
    public List<Summary> summaries() {
        return Summary.of(results);
    }
}
