package dev.fanout.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the table: a measurement across runs.
 *
 * @param ratio    spread of the per-run ratios (each run's figure over the baseline of that same run), or null
 * @param baseline what the ratio is to, or null
 */
public record Summary(String scenario, String name, String unit, int runs, Spread value, Spread ratio, String baseline) {

    public Summary {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(value, "value");
    }

    /** One summary per scenario, measurement name and unit, in the order they were first reported. */
    public static List<Summary> of(List<RunResult> results) {
        Map<List<String>, List<Measurement>> byKey = new LinkedHashMap<>();
        for (RunResult r : results) {
            for (Measurement m : r.measurements()) {
                byKey.computeIfAbsent(List.of(r.scenario(), m.name(), m.unit()), k -> new ArrayList<>()).add(m);
            }
        }
        List<Summary> summaries = new ArrayList<>();
        byKey.forEach((key, ms) -> summaries.add(summarise(key.get(0), ms)));
        return summaries;
    }

    private static Summary summarise(String scenario, List<Measurement> ms) {
        Measurement first = ms.get(0);
        Spread value = Spread.of(ms.stream().map(Measurement::value).toList());
        List<Double> ratios = ms.stream().map(Measurement::ratio).filter(Objects::nonNull).toList();
        Spread ratio = ratios.isEmpty() ? null : Spread.of(ratios);
        return new Summary(scenario, first.name(), first.unit(), ms.size(), value, ratio,
                ratio == null ? null : first.baseline());
    }
}
