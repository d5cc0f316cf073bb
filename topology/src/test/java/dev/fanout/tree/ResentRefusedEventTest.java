package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An event refused for its width is not remembered as seen: sent again once the cause is fixed, it runs. */
class ResentRefusedEventTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.MAX_WIDTH, 2));
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void aWidthRefusedEventSentAgainAfterTheCauseIsFixedIsPlannedAndItsTreeRuns() {
        // Given three subscribers with the width cap at 2, and an event refused for it
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-b", "on-release").build())
                .subscribe(subscription("app-c", "on-release").build());
        ArtifactEvent event = event("e1").build();
        fanout.emit(event);
        assertThat(fanout.deadLetters()).hasSize(1);
        assertThat(fanout.treeDone()).extracting(done -> done.value().getStatus())
                .containsExactly(CompletionStatus.FAILED);

        // When one subscriber leaves and the same event is sent again
        fanout.unsubscribe("app-c/on-release");
        fanout.emit(event);

        // Then its two children are triggered, and when they succeed the tree ends SUCCEEDED with both counted
        List<Trigger> triggers = fanout.triggers();
        assertThat(triggers).extracting(Trigger::getRepo).containsExactly("app-a", "app-b");
        assertThat(fanout.deadLetters()).isEmpty();
        triggers.forEach(trigger -> fanout.report(succeeded(fanout, trigger, "{}")));
        List<TreeDone> done = fanout.treeDone().stream().map(record -> record.value()).toList();
        assertThat(done).hasSize(1);
        assertThat(done.get(0).getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.get(0).getCounts().getTotal()).isEqualTo(2);
        assertThat(done.get(0).getFailures()).isEmpty();
    }

    @Test
    void aPlannedEventSentAgainIsStillDroppedAsADuplicate() {
        // Given an event planned and triggered
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.emit(event("e1").build());
        assertThat(fanout.triggers()).hasSize(1);

        // When it is sent again
        fanout.emit(event("e1").build());

        // Then nothing more is triggered
        assertThat(fanout.triggers()).isEmpty();
        assertThat(fanout.deadLetters()).isEmpty();
    }
}
