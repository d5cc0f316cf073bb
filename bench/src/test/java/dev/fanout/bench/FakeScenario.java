package dev.fanout.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A scenario whose figures a test chooses, and which remembers the contexts it ran with. */
class FakeScenario implements Scenario {

    private final String name;
    private final List<String> requires;
    private final Function<BenchContext, List<Measurement>> figures;
    final List<BenchContext> contexts = new ArrayList<>();

    FakeScenario(String name, List<String> requires, Function<BenchContext, List<Measurement>> figures) {
        this.name = name;
        this.requires = requires;
        this.figures = figures;
    }

    /** Reports {@code values[run - 1]} records/s as "rate". */
    static FakeScenario rates(String name, double... values) {
        return new FakeScenario(name, List.of(), c -> List.of(Measurement.of("rate", values[c.run() - 1], "records/s")));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "fake " + name;
    }

    @Override
    public List<String> requires() {
        return requires;
    }

    @Override
    public List<Measurement> run(BenchContext context) {
        contexts.add(context);
        return figures.apply(context);
    }
}
