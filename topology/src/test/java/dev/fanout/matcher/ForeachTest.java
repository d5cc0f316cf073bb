package dev.fanout.matcher;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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

    @Test
    void eachTriggerCarriesTheEventWithoutTheListItsForeachReads() {
        // When an event arrives
        fanout.emit(event("e1").build());

        // Then each trigger carries the event's identity and payload but for the list, says so, and says where it is
        assertThat(fanout.triggers()).allSatisfy(trigger -> {
            assertThat(trigger.getEvent().getEventId()).isEqualTo("e1");
            assertThat(trigger.getEvent().getSchemaVersion()).isEqualTo("1.2.0");
            assertThat(trigger.getEvent().getPayload()).isEqualTo("{\"channel\":\"stable\"}");
            assertThat(trigger.getEventPayloadOmitted()).containsExactly("/targets");
            assertThat(trigger.getEventOrigin().getTopic()).isEqualTo(fanout.topics().artifactEvents().name());
            assertThat(trigger.getEventOrigin().getOffset()).isZero();
        });
    }

    @Test
    void aSubscriptionsChildCarriesTheWholeEvent() {
        // Given a subscription without foreach on the same artifact
        fanout.subscribe(subscription("app-b", "whole").build());

        // When an event arrives
        fanout.emit(event("e1").build());

        // Then its trigger has the payload as sent, and nothing left out
        Trigger whole = fanout.triggers().stream().filter(t -> t.getRepo().equals("app-b")).findFirst().orElseThrow();
        assertThat(whole.getEvent().getPayload()).isEqualTo(event("e1").build().getPayload());
        assertThat(whole.getEventPayloadOmitted()).isEmpty();
        assertThat(whole.getEventOrigin()).isNotNull();
    }

    @Test
    void aTriggersSizeDoesNotGrowWithItsForeachListsWidth() {
        // Given events listing 10 and 10,000 targets
        long narrow = size(10).applyAsLong(9);
        fanout.close();
        fanout = new FanoutDriver(stateDir.resolve("wide"));
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets")
                .setInputs(Map.of("target", "item", "position", "index", "channel", "event.payload.channel")).build());
        SizeOf wide = size(10_000);

        // Then the trigger of the tenth item is as large in both, and none of the wide one's holds the list
        long tenth = wide.applyAsLong(9);
        long last = wide.applyAsLong(9_999);
        long withWholeEvent = wide.withWholeEvent(9_999);
        System.out.printf("trigger of a foreach child, list of 10,000 items: %,d bytes (%,d with the whole event,"
                + " as before); list of 10: %,d bytes%n", last, withWholeEvent, narrow);
        assertThat(tenth).isEqualTo(narrow);
        assertThat(last).isLessThan(narrow + 16);
        assertThat(withWholeEvent).isGreaterThan(100_000);
    }

    private interface SizeOf {
        long applyAsLong(int index);

        long withWholeEvent(int index);
    }

    /** Bytes of the record's value as it travels: the Confluent wire format. */
    private long wireSize(Trigger trigger) {
        var serde = fanout.topics().triggers().valueSerde();
        return serde.serializer().serialize(fanout.topics().triggers().name(), trigger).length;
    }

    private SizeOf size(int width) {
        String targets = IntStream.range(0, width).mapToObj(i -> "\"target-" + (i % 10) + "\"")
                .collect(Collectors.joining(","));
        ArtifactEvent event = event("e1").setPayload("{\"channel\":\"stable\",\"targets\":[" + targets + "]}").build();
        fanout.emit(event);
        List<Trigger> triggers = fanout.triggers();
        assertThat(triggers).hasSize(width);
        return new SizeOf() {
            @Override
            public long applyAsLong(int index) {
                return wireSize(triggers.get(index));
            }

            @Override
            public long withWholeEvent(int index) {
                Trigger copy = Trigger.newBuilder(triggers.get(index)).setEvent(event).build();
                return wireSize(copy);
            }
        };
    }
}
