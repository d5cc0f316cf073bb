package dev.fanout.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.StopCause;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FanOutStateMachineTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(textBlock = """
            PLANNING,     PLANNING,     false
            PLANNING,     RUNNING,      true
            PLANNING,     DRAINING,     true
            PLANNING,     COMPENSATING, true
            PLANNING,     FINISHED,     true
            PLANNING,     UNKNOWN,      false
            RUNNING,      PLANNING,     false
            RUNNING,      RUNNING,      false
            RUNNING,      DRAINING,     true
            RUNNING,      COMPENSATING, true
            RUNNING,      FINISHED,     true
            RUNNING,      UNKNOWN,      false
            DRAINING,     PLANNING,     false
            DRAINING,     RUNNING,      false
            DRAINING,     DRAINING,     false
            DRAINING,     COMPENSATING, true
            DRAINING,     FINISHED,     true
            DRAINING,     UNKNOWN,      false
            COMPENSATING, PLANNING,     false
            COMPENSATING, RUNNING,      false
            COMPENSATING, DRAINING,     false
            COMPENSATING, COMPENSATING, false
            COMPENSATING, FINISHED,     true
            COMPENSATING, UNKNOWN,      false
            FINISHED,     PLANNING,     false
            FINISHED,     RUNNING,      false
            FINISHED,     DRAINING,     false
            FINISHED,     COMPENSATING, false
            FINISHED,     FINISHED,     false
            FINISHED,     UNKNOWN,      false
            UNKNOWN,      PLANNING,     false
            UNKNOWN,      RUNNING,      false
            UNKNOWN,      DRAINING,     false
            UNKNOWN,      COMPENSATING, false
            UNKNOWN,      FINISHED,     false
            UNKNOWN,      UNKNOWN,      false
            """)
    void theTableSaysWhichMovesAreAllowed(FanOutState from, FanOutState to, boolean allowed) {
        assertThat(FanOutStateMachine.allows(from, to)).isEqualTo(allowed);
    }

    @Test
    void theTableCoversEveryPairOfStates() {
        for (FanOutState from : FanOutState.values()) {
            for (FanOutState to : FanOutState.values()) {
                FanOutStateMachine.allows(from, to);
            }
        }
        assertThat(FanOutState.values()).hasSize(6);
    }

    @Test
    void aMoveTheTableDoesNotAllowIsRefusedNamingTheFanOut() {
        FanOutNode fanOut = node();
        fanOut.setState(FanOutState.FINISHED);

        assertThatThrownBy(() -> FanOutStateMachine.move(fanOut, FanOutState.RUNNING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("fan-out f-1 cannot go from FINISHED to RUNNING");
    }

    @Test
    void aNodeStoredByTheFirstReleaseGetsItsStateFromItsBooleans() {
        // Given nodes as 0.1.x stored them: booleans, no state
        FanOutNode planning = node();
        FanOutNode running = node();
        running.setSealed(true);
        FanOutNode timedOut = node();
        timedOut.setTimedOut(true);
        timedOut.setFinished(true);

        // When their state is read, Then it is what the booleans meant, stop and seal included
        assertThat(FanOutStateMachine.of(planning)).isEqualTo(FanOutState.PLANNING);
        assertThat(FanOutStateMachine.isSealed(planning)).isFalse();
        assertThat(FanOutStateMachine.of(running)).isEqualTo(FanOutState.RUNNING);
        assertThat(FanOutStateMachine.isSealed(running)).isTrue();
        assertThat(FanOutStateMachine.of(timedOut)).isEqualTo(FanOutState.FINISHED);
        assertThat(timedOut.getStop()).isEqualTo(StopCause.TIMEOUT);
        assertThat(Statuses.of(timedOut)).hasToString("TIMED_OUT");
    }

    @Test
    void onlyAFanOutNothingHasStoppedReleasesChildren() {
        FanOutNode fanOut = node();
        for (FanOutState state : FanOutState.values()) {
            fanOut.setState(state);
            assertThat(FanOutStateMachine.releases(fanOut)).as(state.name())
                    .isEqualTo(state == FanOutState.PLANNING || state == FanOutState.RUNNING);
            assertThat(FanOutStateMachine.countsChildren(fanOut)).as(state.name())
                    .isEqualTo(state == FanOutState.PLANNING || state == FanOutState.RUNNING
                            || state == FanOutState.DRAINING);
        }
    }

    private static FanOutNode node() {
        ArtifactEvent event = ArtifactEvent.newBuilder().setEventId("f-1").setArtifact("acme/lib:jar")
                .setEventType("published").setSchemaVersion("1.0.0").setPayload("{}")
                .setProducedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setSourceRepo("acme/lib").build();
        return FanOutNode.newBuilder().setFanOutId("f-1").setTreeId("f-1").setEvent(event).setChildDepth(1)
                .setStartedAt(1_700_000_000_000L).build();
    }
}
