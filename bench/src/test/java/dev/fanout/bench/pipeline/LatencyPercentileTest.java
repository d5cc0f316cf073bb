package dev.fanout.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyPercentileTest {

    private static final long MS = 1_000_000;

    @Test
    void percentilesAreNearestRankInMilliseconds() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * MS;
        }

        assertThat(LatencyScenario.percentile(sorted, 50)).isEqualTo(50.0);
        assertThat(LatencyScenario.percentile(sorted, 99)).isEqualTo(99.0);
        assertThat(LatencyScenario.percentile(sorted, 100)).isEqualTo(100.0);
    }

    @Test
    void withFewSamplesTheHighPercentilesAreTheMaximum() {
        assertThat(LatencyScenario.percentile(new long[] {3 * MS, 7 * MS}, 99)).isEqualTo(7.0);
        assertThat(LatencyScenario.percentile(new long[] {3 * MS, 7 * MS}, 50)).isEqualTo(3.0);
    }

    @Test
    void noSamplesGiveZero() {
        assertThat(LatencyScenario.percentile(new long[0], 99)).isZero();
    }
}
