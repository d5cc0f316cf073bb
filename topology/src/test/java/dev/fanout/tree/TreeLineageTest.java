package dev.fanout.tree;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nested fan-out: runs emit events, and their children sit below them in the same tree. */
class TreeLineageTest {

    @TempDir
    Path stateDir;

    @Test
    void anEventEmittedByARunFansOutOneLevelDeeperWithTheRunOnThePath() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir)) {
            // Given app-a's build triggered by a root event, and app-b subscribed to what app-a publishes
            Trigger parent = triggerOfAppA(fanout);
            fanout.subscribe(subscription("app-b", "on-app-a").setArtifact("app-a:image").build());

            // When app-a's run emits an event
            fanout.emit(childEvent("e2", "app-a:image", parent.getTreeId(), parent.getRunId()).build());

            // Then app-b is triggered in the same tree, one level deeper, below app-a/build
            Trigger child = fanout.triggers().get(0);
            assertThat(child.getTreeId()).isEqualTo("e1");
            assertThat(child.getFanOutId()).isEqualTo("e2");
            assertThat(child.getParentRunId()).isEqualTo(parent.getRunId());
            assertThat(child.getDepth()).isEqualTo(2);
            assertThat(child.getPath()).containsExactly("app-a/build");
        }
    }

    @Test
    void aSubscriptionAlreadyOnThePathIsSkippedAsACycleNotTriggered() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir)) {
            // Given app-a's build, which also subscribes to its own image
            Trigger parent = triggerOfAppA(fanout);
            fanout.subscribe(subscription("app-a", "on-own-image").setArtifact("app-a:image").build());

            // When app-a's run emits its image event
            fanout.emit(childEvent("e2", "app-a:image", parent.getTreeId(), parent.getRunId()).build());

            // Then nothing is triggered, and the child is recorded as skipped for a cycle
            assertThat(fanout.triggers()).isEmpty();
            RunNode skipped = runOf(fanout, TreeIds.runId("e1", "e2", "app-a/on-own-image", null));
            assertThat(skipped.getStatus()).isEqualTo(RunNodeStatus.SKIPPED);
            assertThat(skipped.getReason()).isEqualTo("cycle");
        }
    }

    @Test
    void aChildBeyondTheDepthCapIsSkippedForDepth() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.MAX_DEPTH, 1))) {
            // Given a depth cap of 1, app-a's build at depth 1, and app-b subscribed to app-a's image
            Trigger parent = triggerOfAppA(fanout);
            fanout.subscribe(subscription("app-b", "on-app-a").setArtifact("app-a:image").build());

            // When app-a's run emits an event
            fanout.emit(childEvent("e2", "app-a:image", parent.getTreeId(), parent.getRunId()).build());

            // Then app-b at depth 2 is not triggered, and is recorded as skipped for depth
            assertThat(fanout.triggers()).isEmpty();
            RunNode skipped = runOf(fanout, TreeIds.runId("e1", "e2", "app-b/on-app-a", null));
            assertThat(skipped.getReason()).isEqualTo("depth");
            assertThat(skipped.getDepth()).isEqualTo(2);
        }
    }

    @Test
    void aTriggerCarriesItsInputsAndADeadlineFromTheTimeout() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir)) {
            // Given a subscription with an input and a 10-minute timeout
            fanout.subscribe(subscription("app-a", "on-release").setTimeoutMs(600_000L)
                    .setInputs(Map.of("channel", "event.payload.channel")).build());

            // When an event produced at 10:00 arrives
            fanout.emit(event("e1").build());

            // Then the trigger has the rendered input and a deadline ten minutes after the event
            Trigger trigger = fanout.triggers().get(0);
            assertThat(trigger.getInputs()).containsExactly(Map.entry("channel", "\"stable\""));
            assertThat(trigger.getDeadline()).isEqualTo(Instant.parse("2026-01-05T10:10:00Z"));
        }
    }

    private static Trigger triggerOfAppA(FanoutDriver fanout) {
        fanout.subscribe(subscription("app-a", "on-release").build()).emit(event("e1").build());
        return fanout.triggers().get(0);
    }

    private static RunNode runOf(FanoutDriver fanout, String runId) {
        KeyValueStore<String, RunNode> runs = fanout.driver().getKeyValueStore(TopologyNames.TREE_RUNS);
        return runs.get(runId);
    }
}
