package dev.fanout.deadletter;

import static dev.fanout.app.FanoutDriver.header;
import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.config.FanoutConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records that can be read but not accepted reach the dead letters with the original bytes and headers
 * that say why and where they came from, under the production settings (exactly-once).
 */
class ProcessingDeadLettersTest {

    private static final String EVENTS = "fanout.artifact-events";

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.MAX_WIDTH, 3));
        fanout.subscribe(subscription("app-a", "on-release").build());
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void aPayloadThatIsNotJsonIsADeadLetter() {
        // When an event's payload is not JSON
        ArtifactEvent event = event("e1").setPayload("{channel: stable").build();
        fanout.emit(event);

        // Then the event, as sent, is a dead letter with the reason; nothing is triggered
        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(letter.value()).isEqualTo(fanout.serialize(event));
        assertThat(header(letter, DeadLetters.REASON)).contains("e1").contains("payload is not valid JSON");
        assertThat(header(letter, ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME)).isEqualTo(EVENTS);
        assertThat(fanout.triggers()).isEmpty();
    }

    @Test
    void aSchemaVersionThatIsNotSemverIsADeadLetter() {
        // When an event's schema_version is 1.2
        fanout.emit(event("e1").setSchemaVersion("1.2").build());

        // Then it is a dead letter saying what a version looks like
        assertThat(header(onlyDeadLetter(), DeadLetters.REASON))
                .contains("schema_version '1.2' is not a semantic version").contains("MAJOR.MINOR.PATCH");
    }

    @Test
    void aFanOutWiderThanTheCapIsRefusedAsAWholeAndDeadLettered() {
        // Given a foreach over five targets, with the width cap at 3
        fanout.subscribe(subscription("app-b", "per-target").setForeach("event.payload.targets").build());

        // When an event with five targets arrives
        fanout.emit(event("e1").setPayload("{\"targets\":[1,2,3,4,5]}").build());

        // Then no child is triggered and the event is a dead letter naming the cap
        assertThat(fanout.triggers()).isEmpty();
        assertThat(header(onlyDeadLetter(), DeadLetters.REASON))
                .contains("more than 3 children").contains(FanoutConfig.MAX_WIDTH);
    }

    @Test
    void anEventWhoseParentRunIsUnknownIsADeadLetterNamingWhereItCameFrom() {
        // When an event names a parent run no tree has
        fanout.emit(childEvent("e2", "lib-core:release", "tree-x", "r-unknown").build());

        // Then it is a dead letter saying so, with the events topic as its origin
        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(header(letter, DeadLetters.REASON)).contains("parent run r-unknown").contains("does not know");
        assertThat(header(letter, DeadLetters.ORIGIN_TOPIC)).isEqualTo(EVENTS);
        assertThat(header(letter, DeadLetters.ORIGIN_OFFSET)).isEqualTo("0");
        assertThat(fanout.triggers()).isEmpty();
    }

    @Test
    void anEventKeyedByAnotherArtifactIsADeadLetter() {
        // When an event is keyed by something other than its artifact ref
        fanout.driver().createInputTopic(EVENTS, new org.apache.kafka.common.serialization.StringSerializer(),
                fanout.topics().artifactEvents().valueSerde().serializer()).pipeInput("wrong-key", event("e1").build());

        // Then it is a dead letter telling how to key events
        assertThat(header(onlyDeadLetter(), DeadLetters.REASON)).contains("keyed 'wrong-key'").contains("artifact ref");
    }

    @Test
    void processingGoesOnAfterARefusedEvent() {
        // Given an event refused for its payload
        fanout.emit(event("e1").setPayload("not json").build());

        // When a good event follows
        fanout.emit(event("e2").build());

        // Then it is triggered, and only the first is a dead letter
        assertThat(fanout.triggers()).extracting(t -> t.getEvent().getEventId()).containsExactly("e2");
        assertThat(fanout.deadLetters()).hasSize(1);
    }

    @Test
    void aRefusedEventIsNotRememberedAsSeenSoItsCorrectedResendFansOut() {
        // Given an event refused for its schema_version
        fanout.emit(event("e1").setSchemaVersion("1.2").build());

        // When the producer sends it again, corrected, with the same id
        fanout.emit(event("e1").build());

        // Then it fans out
        assertThat(fanout.triggers()).hasSize(1);
    }

    private TestRecord<byte[], byte[]> onlyDeadLetter() {
        List<TestRecord<byte[], byte[]>> letters = fanout.deadLetters();
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }
}
