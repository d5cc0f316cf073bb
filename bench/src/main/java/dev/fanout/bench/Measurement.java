package dev.fanout.bench;

import java.util.Objects;

/**
 * One figure of one run of a scenario, such as {@code produce = 512,000 records/s}. A figure may carry its
 * ratio to a baseline measured in the same run (the ceiling, or the plain variant of the same thing):
 * ratios taken within one run cancel most of the machine's noise, which medians across runs do not.
 *
 * @param name     what was measured, unique per unit within a scenario
 * @param value    the figure, in {@code unit}
 * @param unit     such as {@code records/s}, {@code MB/s} (10^6 bytes), {@code ms}
 * @param ratio    {@code value / baseline's value}, or null when no baseline is meaningful
 * @param baseline the name of the measurement the ratio is to, or null
 */
public record Measurement(String name, double value, String unit, Double ratio, String baseline) {

    public Measurement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("measurement " + name + " is " + value + " " + unit
                    + ": a scenario must report a finite figure");
        }
        if ((ratio == null) != (baseline == null)) {
            throw new IllegalArgumentException("measurement " + name + ": a ratio needs its baseline's name and vice versa");
        }
    }

    public static Measurement of(String name, double value, String unit) {
        return new Measurement(name, value, unit, null, null);
    }

    /** This figure with its ratio to {@code baseline}, which must be in the same unit. */
    public Measurement relativeTo(Measurement baseline) {
        Objects.requireNonNull(baseline, "baseline");
        if (!unit.equals(baseline.unit)) {
            throw new IllegalArgumentException("cannot compare " + name + " in " + unit + " with "
                    + baseline.name + " in " + baseline.unit);
        }
        if (baseline.value == 0) {
            throw new IllegalArgumentException("baseline " + baseline.name + " is 0 " + unit + ": no ratio to it");
        }
        return new Measurement(name, value, unit, value / baseline.value, baseline.name);
    }
}
