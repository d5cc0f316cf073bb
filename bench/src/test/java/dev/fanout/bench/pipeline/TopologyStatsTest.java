package dev.fanout.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopologyStatsTest {

    @Test
    void statsSurviveTheTripThroughTheChildsStdout() {
        TopologyMain.Stats stats = new TopologyMain.Stats(123_456_789L, 300L << 20, 120L << 20, 512L << 20, 700L << 20, 42);

        assertThat(TopologyMain.Stats.decode(stats.encode())).isEqualTo(stats);
    }

    @Test
    void aTruncatedLineIsRefused() {
        assertThatThrownBy(() -> TopologyMain.Stats.decode("1 2 3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topology stats '1 2 3' do not have 6 fields");
    }

    @Test
    void theOwnJvmsStatsAreMeasured() {
        TopologyMain.Stats stats = TopologyMain.stats();

        assertThat(stats.cpuNanos()).isPositive();
        assertThat(stats.heapMax()).isPositive();
        assertThat(stats.peakHeapUsed()).isPositive();
    }
}
