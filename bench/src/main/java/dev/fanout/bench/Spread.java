package dev.fanout.bench;

import java.util.Collection;
import java.util.Objects;

/** The median of a few runs' figures and their range: what a benchmark reports instead of a single run. */
public record Spread(double median, double min, double max) {

    public static Spread of(Collection<Double> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1]);
    }
}
