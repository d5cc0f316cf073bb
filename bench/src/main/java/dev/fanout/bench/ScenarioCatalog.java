package dev.fanout.bench;

import dev.fanout.bench.ceiling.CeilingScenario;
import dev.fanout.bench.pipeline.CompletionsScenario;
import dev.fanout.bench.pipeline.FanOutScenario;
import dev.fanout.bench.pipeline.GuaranteeScenario;
import dev.fanout.bench.pipeline.LatencyScenario;
import dev.fanout.bench.pipeline.QuotaScenario;
import dev.fanout.bench.pipeline.WidthScenario;
import dev.fanout.bench.pipeline.WorkersScenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The scenarios {@code fanout bench} knows, looked up by the names given on the command line. */
public final class ScenarioCatalog {

    /** On the command line, every scenario. */
    public static final String ALL = "all";

    private final Map<String, Scenario> scenarios = new LinkedHashMap<>();

    private ScenarioCatalog(List<Scenario> scenarios) {
        for (Scenario s : scenarios) {
            if (this.scenarios.putIfAbsent(s.name(), s) != null) {
                throw new IllegalArgumentException("two scenarios are named " + s.name());
            }
        }
    }

    public static ScenarioCatalog of(Scenario... scenarios) {
        return new ScenarioCatalog(List.of(scenarios));
    }

    /** Every scenario, sized by {@code scale}. */
    public static ScenarioCatalog standard(Scale scale) {
        boolean quick = scale.quick();
        int perTree = quick ? CompletionsScenario.QUICK_CHILDREN_PER_TREE : CompletionsScenario.FULL_CHILDREN_PER_TREE;
        return of(new CeilingScenario(scale.records(CeilingScenario.FULL_RECORDS, CeilingScenario.QUICK_RECORDS)),
                new FanOutScenario(quick ? FanOutScenario.QUICK_WIDTHS : FanOutScenario.FULL_WIDTHS),
                new CompletionsScenario(quick ? CompletionsScenario.QUICK_TREES : CompletionsScenario.FULL_TREES, perTree),
                new LatencyScenario(quick ? LatencyScenario.QUICK_DURATION : LatencyScenario.FULL_DURATION,
                        quick ? LatencyScenario.QUICK_WARM_UP : LatencyScenario.FULL_WARM_UP, perTree),
                new WidthScenario(scale.widths(WidthScenario.FULL_WIDTHS, WidthScenario.QUICK_WIDTHS), quick),
                new GuaranteeScenario(quick ? GuaranteeScenario.QUICK_TREES : GuaranteeScenario.FULL_TREES, perTree),
                new WorkersScenario(quick ? WorkersScenario.QUICK_TREES : WorkersScenario.FULL_TREES, perTree),
                new QuotaScenario(quick ? QuotaScenario.QUICK_TREES : QuotaScenario.FULL_TREES, perTree));
    }

    public List<Scenario> all() {
        return List.copyOf(scenarios.values());
    }

    /**
     * The scenarios named, each after the ones it {@linkplain Scenario#requires() requires}, without
     * repeats; all of them when none is named, or when one of the names is {@value #ALL}.
     *
     * @throws IllegalArgumentException naming the unknown scenario and the known ones
     */
    public List<Scenario> select(List<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.isEmpty() || names.contains(ALL)) {
            return select(List.copyOf(scenarios.keySet()));
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String name : names) {
            addWithRequirements(name, ordered, new ArrayList<>());
        }
        return ordered.stream().map(scenarios::get).toList();
    }

    private void addWithRequirements(String name, Set<String> ordered, List<String> path) {
        Scenario scenario = scenarios.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException(unknown(name, path));
        }
        if (path.contains(name)) {
            throw new IllegalStateException("scenarios require each other in a cycle: " + String.join(" -> ", path) + " -> " + name);
        }
        path.add(name);
        for (String required : scenario.requires()) {
            addWithRequirements(required, ordered, path);
        }
        path.remove(path.size() - 1);
        ordered.add(name);
    }

    private String unknown(String name, List<String> path) {
        String known = "known scenarios: " + String.join(", ", scenarios.keySet()) + " (or " + ALL + ")";
        String via = path.isEmpty() ? "" : " (required by " + path.get(path.size() - 1) + ")";
        return "unknown scenario '" + name + "'" + via + "; " + known;
    }
}
