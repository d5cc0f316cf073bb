package dev.fanout.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioCatalogTest {

    private final FakeScenario ceiling = FakeScenario.rates("ceiling", 1);
    private final FakeScenario fanOut = new FakeScenario("fan-out-x", List.of("ceiling"), c -> List.of());
    private final FakeScenario other = FakeScenario.rates("other", 1);
    private final ScenarioCatalog catalog = ScenarioCatalog.of(ceiling, fanOut, other);

    @Test
    void noNameMeansEveryScenarioInCatalogOrder() {
        assertThat(catalog.select(List.of())).containsExactly(ceiling, fanOut, other);
    }

    @Test
    void aNamedScenarioBringsWhatItRequiresFirst() {
        assertThat(catalog.select(List.of("fan-out-x"))).containsExactly(ceiling, fanOut);
    }

    @Test
    void aScenarioNamedTwiceOrAlsoRequiredRunsOnce() {
        assertThat(catalog.select(List.of("fan-out-x", "ceiling", "fan-out-x"))).containsExactly(ceiling, fanOut);
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownNames() {
        assertThatThrownBy(() -> catalog.select(List.of("ceiling", "celing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scenario 'celing'; known scenarios: ceiling, fan-out-x, other (or all)");
    }

    @Test
    void allSelectsEveryScenario() {
        assertThat(catalog.select(List.of("other", "all"))).containsExactlyElementsOf(catalog.all());
    }

    @Test
    void theLatencyScenarioBringsTheCompletionsAndTheCeilingAlong() {
        assertThat(ScenarioCatalog.standard(Scale.FULL).select(List.of("latency"))).extracting(Scenario::name)
                .containsExactly("ceiling", "completions", "latency");
    }

    @Test
    void theStandardCatalogHasEveryScenarioOfTheBenchmarks() {
        assertThat(ScenarioCatalog.standard(Scale.FULL).all()).extracting(Scenario::name)
                .containsExactly("ceiling", "fan-out", "completions", "latency", "width", "guarantee", "workers", "quota");
    }

    @Test
    void aMillionChildrenIsAmongTheDefaultWidthsAndWidthsCanBeGiven() {
        Scale two = new Scale(false, java.util.OptionalInt.empty(), List.of(100_000, 1_000_000));

        assertThat(width(Scale.FULL).description()).contains("N = 10, 1,000, 10,000, 100,000, 1,000,000:");
        assertThat(width(two).description()).contains("N = 100,000, 1,000,000:");
    }

    @Test
    void aWidthTheBenchCannotBuildIsRefusedWithTheRule() {
        Scale odd = new Scale(false, java.util.OptionalInt.empty(), List.of(2_000_000));

        assertThatThrownBy(() -> ScenarioCatalog.standard(odd))
                .hasMessageContaining("a tree of 2000000 children cannot be made")
                .hasMessageContaining("give a width from 1 to 1000000");
    }

    private static Scenario width(Scale scale) {
        return ScenarioCatalog.standard(scale).select(List.of("width")).get(0);
    }
}
