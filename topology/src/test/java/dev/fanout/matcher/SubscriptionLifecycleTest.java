package dev.fanout.matcher;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.Trigger;
import dev.fanout.deadletter.DeadLetters;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscriptions come, change and go through the compacted topic; the index follows. */
class SubscriptionLifecycleTest {

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
    void aTombstoneRemovesTheSubscription() {
        // Given a subscription, then its tombstone
        fanout.subscribe(subscription("app-a", "on-release").build()).unsubscribe("app-a/on-release");

        // When an event arrives
        fanout.emit(event("e1").build());

        // Then nothing is triggered
        assertThat(fanout.triggers()).isEmpty();
    }

    @Test
    void anUpdateToAnotherArtifactStopsMatchingTheOldOne() {
        // Given a subscription moved from lib-core:release to lib-core:nightly
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-a", "on-release").setArtifact("lib-core:nightly").build());

        // When events on both artifacts arrive
        fanout.emit(event("e1").build()).emit(event("e2").setArtifact("lib-core:nightly").build());

        // Then only the new artifact's event triggers it
        assertThat(fanout.triggers()).extracting(t -> t.getEvent().getEventId()).containsExactly("e2");
    }

    @Test
    void anUpdateReplacesTheSubscriptionsContent() {
        // Given a subscription whose workflow changes
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-a", "on-release").setWorkflow("deploy").build());

        // When an event arrives
        fanout.emit(event("e1").build());

        // Then the new version is triggered, once
        assertThat(fanout.triggers()).extracting(Trigger::getWorkflow).containsExactly("deploy");
    }

    @Test
    void anInvalidSubscriptionGoesToTheDeadLettersWithItsProblem() {
        // When a subscription with a filter that does not compile arrives
        fanout.subscribe(subscription("app-a", "broken").setFilter("event.payload.channel ==").build());

        // Then it is a dead letter naming the subscription and the problem
        var deadLetters = fanout.deadLetters();
        assertThat(deadLetters).hasSize(1);
        assertThat(FanoutDriver.header(deadLetters.get(0), DeadLetters.REASON))
                .contains("app-a/broken").contains("does not compile");
        assertThat(new String(deadLetters.get(0).key())).isEqualTo("app-a/broken");
    }

    @Test
    void anInvalidSubscriptionNeverMatches() {
        // Given a subscription with a bad range
        fanout.subscribe(subscription("app-a", "broken").setSchemaVersion("not-a-range").build());

        // When an event arrives
        fanout.emit(event("e1").build());

        // Then nothing is triggered
        assertThat(fanout.triggers()).isEmpty();
    }

    @Test
    void anInvalidUpdateRemovesThePreviousValidVersion() {
        // Given a valid subscription, then an invalid version of it
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-a", "on-release").setSchemaVersion("not-a-range").build());

        // When an event arrives
        fanout.emit(event("e1").build());

        // Then the old version does not match any more
        assertThat(fanout.triggers()).isEmpty();
        assertThat(fanout.deadLetters()).hasSize(1);
    }
}
