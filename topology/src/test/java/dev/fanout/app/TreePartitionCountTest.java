package dev.fanout.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TreePartitionCountTest {

    @Test
    void theEventsAndTheStatusesShareTheirCount() {
        assertThat(TreePartitionCount.shared("fanout.artifact-events", 6, "fanout.run-status", 6)).isEqualTo(6);
    }

    @Test
    void differentCountsAreRefusedNamingBothTopicsAndTheFix() {
        assertThatThrownBy(() -> TreePartitionCount.shared("fanout.artifact-events", 3, "fanout.run-status", 6))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fanout.artifact-events has 3 partitions and fanout.run-status has 6")
                .hasMessageContaining("Recreate fanout.run-status with 3 partitions");
    }
}
