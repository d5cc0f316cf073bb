package dev.fanout.matcher;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each matching rule on its own, through the production topology. */
class MatchingRulesTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void anEventTriggersASubscriptionToItsArtifactEventTypeAndVersion() {
        // Given a subscription to lib-core:release published ^1.0.0
        fanout.subscribe(subscription("app-a", "on-release").build());

        // When a published 1.2.0 event arrives
        fanout.emit(event("e1").build());

        // Then the subscriber's workflow is triggered, keyed by its repo
        var triggers = fanout.triggerRecords();
        assertThat(triggers).hasSize(1);
        assertThat(triggers.get(0).key()).isEqualTo("app-a");
        Trigger trigger = triggers.get(0).value();
        assertThat(trigger.getSubscriptionId()).isEqualTo("app-a/on-release");
        assertThat(trigger.getWorkflow()).isEqualTo("build");
        assertThat(trigger.getEvent().getEventId()).isEqualTo("e1");
    }

    @Test
    void anEventOnAnotherArtifactDoesNotTriggerTheSubscription() {
        // Given a subscription to lib-core:release
        fanout.subscribe(subscription("app-a", "on-release").build());

        // When an event on lib-core:snapshot arrives
        fanout.emit(event("e1").setArtifact("lib-core:snapshot").build());

        // Then nothing is triggered
        assertThat(fanout.triggers()).isEmpty();
    }

    @Test
    void anEventTypeTheSubscriptionDoesNotListDoesNotTriggerIt() {
        // Given a subscription to published events
        fanout.subscribe(subscription("app-a", "on-release").build());

        // When a deprecated event arrives
        fanout.emit(event("e1").setEventType("deprecated").build());

        // Then nothing is triggered
        assertThat(fanout.triggers()).isEmpty();
    }

    @Test
    void aSchemaVersionOutsideTheRangeDoesNotTriggerTheSubscription() {
        // Given a subscription to ^1.0.0
        fanout.subscribe(subscription("app-a", "on-release").build());

        // When a 2.0.0 event arrives
        fanout.emit(event("e1").setSchemaVersion("2.0.0").build());

        // Then nothing is triggered
        assertThat(fanout.triggers()).isEmpty();
    }

    @Test
    void aFilterThatIsTrueTriggersTheSubscription() {
        // Given a subscription for the stable channel
        fanout.subscribe(subscription("app-a", "stable").setFilter("event.payload.channel == 'stable'").build());

        // When a stable event arrives
        fanout.emit(event("e1").build());

        // Then it is triggered
        assertThat(fanout.triggers()).extracting(Trigger::getSubscriptionId).containsExactly("app-a/stable");
    }

    @Test
    void aFilterThatIsFalseDoesNotTriggerTheSubscription() {
        // Given a subscription for the beta channel
        fanout.subscribe(subscription("app-a", "beta").setFilter("event.payload.channel == 'beta'").build());

        // When a stable event arrives
        fanout.emit(event("e1").build());

        // Then nothing is triggered
        assertThat(fanout.triggers()).isEmpty();
    }

    @Test
    void aFilterThatCannotBeEvaluatedIsASkippedChildNotATriggerNorACrash() {
        // Given one subscription whose filter reads a key the payload lacks, and one plain subscription
        fanout.subscribe(subscription("app-a", "broken").setFilter("event.payload.missing == 'x'").build());
        fanout.subscribe(subscription("app-b", "plain").build());

        // When an event arrives
        fanout.emit(event("e1").build());

        // Then the plain one is triggered, the broken one is recorded as skipped with the reason
        assertThat(fanout.triggers()).extracting(Trigger::getSubscriptionId).containsExactly("app-b/plain");
        var run = TreeStores.runsOf(fanout.driver()).stream()
                .filter(r -> r.getSubscriptionId().equals("app-a/broken")).findFirst().orElseThrow();
        assertThat(run.getStatus().name()).isEqualTo("SKIPPED");
        assertThat(run.getReason()).contains("app-a/broken").contains("event.payload.missing");
        assertThat(fanout.deadLetters()).isEmpty();
    }

    @Test
    void everySubscriptionOfTheArtifactIsTriggeredInSubscriptionIdOrder() {
        // Given three subscribers
        List.of("app-c", "app-a", "app-b").forEach(repo -> fanout.subscribe(subscription(repo, "on-release").build()));

        // When an event arrives
        fanout.emit(event("e1").build());

        // Then each is triggered once, in id order
        assertThat(fanout.triggers()).extracting(Trigger::getSubscriptionId)
                .containsExactly("app-a/on-release", "app-b/on-release", "app-c/on-release");
    }
}
