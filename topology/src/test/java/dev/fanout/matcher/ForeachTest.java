package dev.fanout.matcher;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A foreach subscription fans out one child per element. */
class ForeachTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
        // Given a subscription with one child per target (the payload lists linux, mac)
        fanout.subscribe(subscription("app-a", "per-target")
                .setForeach("event.payload.targets")
                .setInputs(Map.of("target", "item", "position", "index", "channel", "event.payload.channel"))
                .build());
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void eachElementIsOneTriggerWithItsItemInIndexOrder() {
        // When an event arrives
        fanout.emit(event("e1").build());

        // Then there is one trigger per element, in index order, carrying the element as JSON
        var triggers = fanout.triggers();
        assertThat(triggers).extracting(Trigger::getItemIndex).containsExactly(0, 1);
        assertThat(triggers).extracting(Trigger::getItem).containsExactly("\"linux\"", "\"mac\"");
    }

    @Test
    void inputsAreRenderedPerElementWithItemAndIndex() {
        // When an event arrives
        fanout.emit(event("e1").build());

        // Then each trigger's inputs see its own item and index, and the event
        var triggers = fanout.triggers();
        assertThat(triggers.get(1).getInputs())
                .containsEntry("target", "\"mac\"")
                .containsEntry("position", "1")
                .containsEntry("channel", "\"stable\"");
    }

    @Test
    void eachElementHasItsOwnRunId() {
        // When an event arrives
        fanout.emit(event("e1").build());

        // Then the two children have different run ids
        assertThat(fanout.triggers()).extracting(Trigger::getRunId).doesNotHaveDuplicates().hasSize(2);
    }

    @Test
    void aForeachThatIsNotAListIsASkippedChild() {
        // Given an event whose targets is a string, not a list
        fanout.emit(event("e1").setPayload("{\"channel\":\"stable\",\"targets\":\"linux\"}").build());

        // Then nothing is triggered and the child is recorded as skipped with the reason
        assertThat(fanout.triggers()).isEmpty();
        assertThat(TreeStores.runsOf(fanout.driver())).singleElement()
                .satisfies(run -> assertThat(run.getReason()).contains("not a list"));
    }
}
