package dev.fanout.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.bench.chaos.TreeDoneTimeline.Arrival;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeDoneTimelineTest {

    @Test
    void thePauseIsTheLongestGapOnAnyPartitionCountingFromTheStartOfTheWindow() {
        List<Arrival> arrivals = List.of(
                new Arrival(1_000, 0, "a"), new Arrival(1_500, 1, "b"), new Arrival(2_000, 0, "c"),
                new Arrival(9_000, 1, "d"), new Arrival(9_500, 0, "e"));

        assertThat(TreeDoneTimeline.longestPauseMillis(arrivals, 2, 1_200, 10_000))
                .as("partition 1: from 1,500 to 9,000").isEqualTo(7_500);
        assertThat(TreeDoneTimeline.longestPauseMillis(arrivals, 2, 0, 1_600))
                .as("partition 0 waits 1,000 from the start; partition 1, 1,500").isEqualTo(1_500);
    }

    @Test
    void aPartitionWithoutAnyTreeDoneInTheWindowPausedThroughout() {
        List<Arrival> arrivals = List.of(new Arrival(1_000, 0, "a"), new Arrival(1_100, 0, "b"));

        assertThat(TreeDoneTimeline.longestPauseMillis(arrivals, 2, 500, 4_500)).isEqualTo(4_000);
    }
}
