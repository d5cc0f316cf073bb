package dev.fanout.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private static RunResult run(int run, double produce, double tx) {
        Measurement plain = Measurement.of("produce", produce, "records/s");
        return new RunResult("ceiling", run, 1_000, new CpuShare(0.9, 0.05), List.of(plain,
                Measurement.of("produce", produce / 1000, "MB/s"),
                Measurement.of("produce transactional", tx, "records/s").relativeTo(plain)));
    }

    @Test
    void eachMeasurementAndUnitIsSummarisedAcrossRunsInReportedOrder() {
        List<Summary> summaries = Summary.of(List.of(run(1, 100, 50), run(2, 300, 240), run(3, 200, 100)));

        assertThat(summaries).extracting(Summary::name, Summary::unit).containsExactly(
                tuple("produce", "records/s"),
                tuple("produce", "MB/s"),
                tuple("produce transactional", "records/s"));
        assertThat(summaries.get(0).value()).isEqualTo(new Spread(200, 100, 300));
        assertThat(summaries.get(0).runs()).isEqualTo(3);
    }

    @Test
    void theRatioIsTheMedianOfPerRunRatiosNotTheRatioOfMedians() {
        // Per run 0.9, 0.9 and 0.2 (a run where only the transactional phase was disturbed): median 0.9.
        // The ratio of the medians would be 90 / 200 = 0.45, mixing different runs' noise.
        List<Summary> summaries = Summary.of(List.of(run(1, 100, 90), run(2, 200, 180), run(3, 300, 60)));

        Summary tx = summaries.get(2);
        assertThat(tx.ratio().median()).isCloseTo(0.9, within(1e-9));
        assertThat(tx.ratio().min()).isCloseTo(0.2, within(1e-9));
        assertThat(tx.ratio().max()).isCloseTo(0.9, within(1e-9));
        assertThat(tx.baseline()).isEqualTo("produce");
    }

    @Test
    void aMeasurementWithoutBaselineHasNoRatio() {
        Summary mbps = Summary.of(List.of(run(1, 100, 50))).get(1);

        assertThat(mbps.ratio()).isNull();
        assertThat(mbps.baseline()).isNull();
    }
}
