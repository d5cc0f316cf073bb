package dev.fanout.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fanout.bench.Measurement;
import java.util.List;
import org.junit.jupiter.api.Test;

class WidthRatiosTest {

    @Test
    void timesPerChildCompareWithAThousandAndAMillionWithAHundredThousand() {
        List<Measurement> out = WidthScenario.withRatios(List.of(
                Measurement.of("N=1000 time per child", 800, "µs"),
                Measurement.of("N=1000 children", 1_250, "children/s"),
                Measurement.of("N=100000 time per child", 100, "µs"),
                Measurement.of("N=1000000 time per child", 120, "µs")));

        assertThat(out).extracting(Measurement::name, Measurement::baseline, Measurement::ratio).containsExactly(
                tuple("N=1000 time per child", "N=1000 time per child", 1.0),
                tuple("N=1000 children", null, null),
                tuple("N=100000 time per child", "N=1000 time per child", 0.125),
                tuple("N=1000000 time per child", "N=100000 time per child", 1.2));
    }

    @Test
    void withoutAThousandTheSmallestWidthAboveTenIsTheBaseline() {
        List<Measurement> out = WidthScenario.withRatios(List.of(
                Measurement.of("N=10 time per child", 9_000, "µs"),
                Measurement.of("N=200 time per child", 900, "µs")));

        assertThat(out).extracting(Measurement::baseline).containsOnly("N=200 time per child");
    }
}
