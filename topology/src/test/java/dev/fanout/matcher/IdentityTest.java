package dev.fanout.matcher;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.TopologyNames;
import dev.fanout.tree.TreeIds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tree, fan-out and run ids, and duplicate events. */
class IdentityTest {

    @TempDir
    Path stateDir;

    @Test
    void aRootEventStartsATreeNamedByItsEventIdAndIsItsOwnFanOut() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir)) {
            // Given a subscriber, when a root event arrives
            fanout.subscribe(subscription("app-a", "on-release").build()).emit(event("e1").build());

            // Then the trigger's tree and fan-out are the event's id, with no parent run, at attempt 1
            Trigger trigger = fanout.triggers().get(0);
            assertThat(trigger.getTreeId()).isEqualTo("e1");
            assertThat(trigger.getFanOutId()).isEqualTo("e1");
            assertThat(trigger.getParentRunId()).isNull();
            assertThat(trigger.getAttempt()).isEqualTo(1);
            assertThat(trigger.getDepth()).isEqualTo(1);
            assertThat(trigger.getPath()).isEmpty();
        }
    }

    @Test
    void theRunIdIsAPureFunctionOfTreeFanOutSubscriptionAndItemIndex() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir)) {
            // Given a subscriber, when an event arrives
            fanout.subscribe(subscription("app-a", "on-release").build()).emit(event("e1").build());

            // Then the run id is the hash of its parts
            assertThat(fanout.triggers().get(0).getRunId())
                    .isEqualTo(TreeIds.runId("e1", "e1", "app-a/on-release", null))
                    .matches("r-[0-9a-f]{32}");
        }
    }

    @Test
    void replayingTheSameInputOnAFreshTopologyGivesTheSameRunIds(@TempDir Path otherStateDir) {
        // Given two independent topologies fed the same subscriptions and events
        List<String> first = runIdsAfterReplay(stateDir);
        List<String> second = runIdsAfterReplay(otherStateDir);

        // Then they trigger the same run ids
        assertThat(first).hasSize(3).isEqualTo(second);
    }

    @Test
    void theSameEventSentTwiceTriggersOnce() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir)) {
            // Given a subscriber and an event already fanned out
            fanout.subscribe(subscription("app-a", "on-release").build()).emit(event("e1").build());
            assertThat(fanout.triggers()).hasSize(1);

            // When the same event id arrives again
            fanout.emit(event("e1").build());

            // Then no second trigger is written
            assertThat(fanout.triggers()).isEmpty();
        }
    }

    @Test
    void aSeenEventIdIsForgottenAfterTheRetentionOnTheWallClock() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.DEDUPE_RETENTION_MS, 60_000L))) {
            // Given an event fanned out
            fanout.subscribe(subscription("app-a", "on-release").build()).emit(event("e1").build());
            KeyValueStore<String, Long> seen = fanout.driver().getKeyValueStore(TopologyNames.MATCHER_SEEN_EVENTS);
            assertThat(seen.get("e1")).isNotNull();

            // When the wall clock passes the retention
            fanout.driver().advanceWallClockTime(Duration.ofSeconds(61));

            // Then its id is forgotten
            assertThat(seen.get("e1")).isNull();
        }
    }

    @Test
    void aReplayedPlanAfterTheRetentionStillTriggersNothingTwice() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.DEDUPE_RETENTION_MS, 60_000L))) {
            // Given an event fanned out, and its id forgotten by the matcher
            fanout.subscribe(subscription("app-a", "on-release").build()).emit(event("e1").build());
            assertThat(fanout.triggers()).hasSize(1);
            fanout.driver().advanceWallClockTime(Duration.ofSeconds(61));

            // When it arrives again
            fanout.emit(event("e1").build());

            // Then the tree knows the run by its id and triggers nothing
            assertThat(fanout.triggers()).isEmpty();
        }
    }

    private static List<String> runIdsAfterReplay(Path dir) {
        try (FanoutDriver fanout = new FanoutDriver(dir)) {
            fanout.subscribe(subscription("app-a", "on-release").build())
                    .subscribe(subscription("app-b", "per-target").setForeach("event.payload.targets").build())
                    .emit(event("e1").build());
            return fanout.triggers().stream().map(Trigger::getRunId).toList();
        }
    }
}
