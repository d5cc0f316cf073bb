package dev.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.Failure;
import dev.fanout.avro.TreeDone;
import dev.fanout.worker.demo.DemoWorkers;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoExpectationTest {

    @Test
    void theDesignedEndHasNoDifference() {
        TreeDone done = treeDone(CompletionStatus.SUCCEEDED, 9, 8, 0, 1, 1, List.of());

        assertThat(DemoExpectation.differences(done, DemoWorkers.EXPECTED)).isEmpty();
    }

    @Test
    void everyCountThatDiffersIsNamedWithBothValues() {
        Failure failure = Failure.newBuilder().setRunId("r-1").setSubscriptionId("qa-suite/smoke-after-deploy")
                .setAttempt(1).setError("boom").build();
        TreeDone done = treeDone(CompletionStatus.FAILED, 9, 7, 1, 1, 0, List.of(failure));

        assertThat(DemoExpectation.differences(done, DemoWorkers.EXPECTED)).containsExactly(
                "the status is FAILED, not SUCCEEDED", "succeeded is 7, not 8", "failed is 1, not 0",
                "retries is 0, not 1", "failed: qa-suite/smoke-after-deploy (r-1): boom");
    }

    @Test
    void theBadReleaseEndsFailedWithItsFailuresExpectedAndItsCompensationsCounted() {
        Failure failure = Failure.newBuilder().setRunId("r-1").setSubscriptionId("acme/deployer/deploy-image")
                .setAttempt(1).setError("refused").build();
        TreeDone done = TreeDone.newBuilder(treeDone(CompletionStatus.FAILED, 7, 4, 2, 1, 1, List.of(failure))).build();
        done.getCounts().setCompensated(2);

        assertThat(DemoExpectation.differences(done, DemoWorkers.EXPECTED_BAD_RELEASE)).isEmpty();
        done.getCounts().setCompensated(1);
        assertThat(DemoExpectation.differences(done, DemoWorkers.EXPECTED_BAD_RELEASE))
                .containsExactly("compensated is 1, not 2");
        assertThat(DemoExpectation.describe(DemoWorkers.EXPECTED_BAD_RELEASE))
                .isEqualTo("FAILED, 7 children, 4 succeeded, 2 failed, 1 skipped, 1 retry, 2 compensated");
    }

    @Test
    void theExpectationReadsAsTheDemoDescribesIt() {
        assertThat(DemoExpectation.describe(DemoWorkers.EXPECTED))
                .isEqualTo("SUCCEEDED, 9 children, 8 succeeded, 0 failed, 1 skipped, 1 retry");
    }

    private static TreeDone treeDone(CompletionStatus status, long total, long succeeded, long failed, long skipped,
            long retries, List<Failure> failures) {
        return TreeDone.newBuilder().setTreeId("demo-1").setArtifact(DemoWorkers.ROOT_ARTIFACT).setStatus(status)
                .setCounts(Counts.newBuilder().setTotal(total).setSucceeded(succeeded).setFailed(failed).setTimedOut(0)
                        .setSkipped(skipped).setRetries(retries).build())
                .setStartedAt(Instant.ofEpochMilli(0)).setFinishedAt(Instant.ofEpochMilli(5_000)).setFailures(failures)
                .build();
    }
}
