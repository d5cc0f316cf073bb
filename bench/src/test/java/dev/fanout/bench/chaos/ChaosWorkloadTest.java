package dev.fanout.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The verifier trusts the workload's expectations, so they are pinned to fixed values here. */
class ChaosWorkloadTest {

    private final ChaosWorkload workload = new ChaosWorkload("run", 10, 100);

    @Test
    void eachTreeIsAPureFunctionOfItsIndex() {
        ArtifactEvent first = workload.rootEvent(7, Instant.EPOCH);
        ArtifactEvent again = workload.rootEvent(7, Instant.EPOCH);

        assertThat(first).isEqualTo(again);
        assertThat(first.getEventId()).isEqualTo("run-t7");
        assertThat(workload.indexOf("run-t7")).isEqualTo(7);
        assertThat(workload.indexOf("other-t7")).isEqualTo(-1);
    }

    @Test
    void theExpectedCountsArePinned() {
        assertThat(workload.expected(0)).isEqualTo(new ChaosWorkload.Expected("run-t0", 97, 100, 10));
        assertThat(workload.expected(1)).isEqualTo(new ChaosWorkload.Expected("run-t1", 61, 64, 1));
    }

    @Test
    void widthsStayWithinTheirBoundsAndEveryThirdTreeHasAConcurrencyLimit() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(workload.expected(i).items()).isBetween(10, 100);
            ArtifactEvent event = workload.rootEvent(i, Instant.EPOCH);
            assertThat(event.getFanOut() != null).isEqualTo(i % 3 == 0);
        }
    }
}
