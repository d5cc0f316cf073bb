package dev.fanout.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The run node's transition table, every pair of states. */
class NodeStateMachineTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(textBlock = """
            PLANNED,    PLANNED,    false
            PLANNED,    WAITING,    true
            PLANNED,    QUEUED,     true
            PLANNED,    QUOTA_WAIT, true
            PLANNED,    TRIGGERED,  true
            PLANNED,    RUNNING,    false
            PLANNED,    SUCCEEDED,  false
            PLANNED,    FAILED,     true
            PLANNED,    TIMED_OUT,  false
            PLANNED,    SKIPPED,    true
            WAITING,    PLANNED,    false
            WAITING,    WAITING,    false
            WAITING,    QUEUED,     true
            WAITING,    QUOTA_WAIT, true
            WAITING,    TRIGGERED,  true
            WAITING,    RUNNING,    false
            WAITING,    SUCCEEDED,  false
            WAITING,    FAILED,     false
            WAITING,    TIMED_OUT,  false
            WAITING,    SKIPPED,    true
            QUEUED,     PLANNED,    false
            QUEUED,     WAITING,    false
            QUEUED,     QUEUED,     false
            QUEUED,     QUOTA_WAIT, true
            QUEUED,     TRIGGERED,  true
            QUEUED,     RUNNING,    false
            QUEUED,     SUCCEEDED,  false
            QUEUED,     FAILED,     false
            QUEUED,     TIMED_OUT,  true
            QUEUED,     SKIPPED,    true
            QUOTA_WAIT, PLANNED,    false
            QUOTA_WAIT, WAITING,    false
            QUOTA_WAIT, QUEUED,     false
            QUOTA_WAIT, QUOTA_WAIT, false
            QUOTA_WAIT, TRIGGERED,  true
            QUOTA_WAIT, RUNNING,    false
            QUOTA_WAIT, SUCCEEDED,  false
            QUOTA_WAIT, FAILED,     false
            QUOTA_WAIT, TIMED_OUT,  true
            QUOTA_WAIT, SKIPPED,    true
            TRIGGERED,  PLANNED,    false
            TRIGGERED,  WAITING,    false
            TRIGGERED,  QUEUED,     false
            TRIGGERED,  QUOTA_WAIT, false
            TRIGGERED,  TRIGGERED,  false
            TRIGGERED,  RUNNING,    true
            TRIGGERED,  SUCCEEDED,  true
            TRIGGERED,  FAILED,     true
            TRIGGERED,  TIMED_OUT,  true
            TRIGGERED,  SKIPPED,    false
            RUNNING,    PLANNED,    false
            RUNNING,    WAITING,    false
            RUNNING,    QUEUED,     false
            RUNNING,    QUOTA_WAIT, false
            RUNNING,    TRIGGERED,  false
            RUNNING,    RUNNING,    false
            RUNNING,    SUCCEEDED,  true
            RUNNING,    FAILED,     true
            RUNNING,    TIMED_OUT,  true
            RUNNING,    SKIPPED,    false
            SUCCEEDED,  PLANNED,    false
            SUCCEEDED,  WAITING,    false
            SUCCEEDED,  QUEUED,     false
            SUCCEEDED,  QUOTA_WAIT, false
            SUCCEEDED,  TRIGGERED,  false
            SUCCEEDED,  RUNNING,    false
            SUCCEEDED,  SUCCEEDED,  false
            SUCCEEDED,  FAILED,     false
            SUCCEEDED,  TIMED_OUT,  false
            SUCCEEDED,  SKIPPED,    false
            FAILED,     PLANNED,    false
            FAILED,     WAITING,    false
            FAILED,     QUEUED,     true
            FAILED,     QUOTA_WAIT, true
            FAILED,     TRIGGERED,  true
            FAILED,     RUNNING,    false
            FAILED,     SUCCEEDED,  false
            FAILED,     FAILED,     false
            FAILED,     TIMED_OUT,  false
            FAILED,     SKIPPED,    false
            TIMED_OUT,  PLANNED,    false
            TIMED_OUT,  WAITING,    false
            TIMED_OUT,  QUEUED,     false
            TIMED_OUT,  QUOTA_WAIT, false
            TIMED_OUT,  TRIGGERED,  false
            TIMED_OUT,  RUNNING,    false
            TIMED_OUT,  SUCCEEDED,  false
            TIMED_OUT,  FAILED,     false
            TIMED_OUT,  TIMED_OUT,  false
            TIMED_OUT,  SKIPPED,    false
            SKIPPED,    PLANNED,    false
            SKIPPED,    WAITING,    false
            SKIPPED,    QUEUED,     false
            SKIPPED,    QUOTA_WAIT, false
            SKIPPED,    TRIGGERED,  false
            SKIPPED,    RUNNING,    false
            SKIPPED,    SUCCEEDED,  false
            SKIPPED,    FAILED,     false
            SKIPPED,    TIMED_OUT,  false
            SKIPPED,    SKIPPED,    false
            """)
    void theTableSaysWhichMovesAreAllowed(RunNodeStatus from, RunNodeStatus to, boolean allowed) {
        assertThat(NodeStateMachine.allows(from, to)).isEqualTo(allowed);
    }

    @Test
    void theTableCoversEveryPairOfStates() {
        // Given every state, When asked about every pair, Then the table answers without a gap
        for (RunNodeStatus from : RunNodeStatus.values()) {
            for (RunNodeStatus to : RunNodeStatus.values()) {
                NodeStateMachine.allows(from, to);
            }
        }
        assertThat(RunNodeStatus.values()).hasSize(10);
    }

    @Test
    void onlyTheFourOutcomesAreEnds() {
        assertThat(List.of(RunNodeStatus.values())).filteredOn(NodeStateMachine::isEnd).containsExactlyInAnyOrder(
                RunNodeStatus.SUCCEEDED, RunNodeStatus.FAILED, RunNodeStatus.TIMED_OUT, RunNodeStatus.SKIPPED);
    }

    @Test
    void leavingFailedIsARetryAndStartsTheNextAttempt() {
        // Given a run that failed its first attempt
        RunNode run = node(RunNodeStatus.FAILED);

        // When it is queued for its retry
        NodeStateMachine.move(run, RunNodeStatus.QUEUED);

        // Then it is on its second attempt
        assertThat(run.getAttempt()).isEqualTo(2);
        assertThat(run.getStatus()).isEqualTo(RunNodeStatus.QUEUED);
    }

    @Test
    void aMoveTheTableDoesNotAllowIsRefusedNamingTheRun() {
        RunNode run = node(RunNodeStatus.SUCCEEDED);

        assertThatThrownBy(() -> NodeStateMachine.move(run, RunNodeStatus.RUNNING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("run r-1 cannot go from SUCCEEDED to RUNNING");
    }

    private static RunNode node(RunNodeStatus status) {
        return RunNode.newBuilder().setRunId("r-1").setTreeId("t").setFanOutId("f").setSubscriptionId("a/b")
                .setRepo("a").setWorkflow("build").setDepth(1).setStatus(status).build();
    }
}
