package dev.fanout.deadletter;

import static dev.fanout.app.FanoutDriver.header;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.config.FanoutConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * Records that cannot be read reach the dead letters unchanged, with headers that say why and where they
 * came from, and processing goes on.
 *
 * <p>These run at-least-once: TopologyTestDriver's simulated transactions lose a dead letter sent while
 * records are being queued (before any processing opens a transaction), and the records after it.
 * A real broker under exactly-once is covered by {@code MatcherIT}.
 */
class DeserializationDeadLettersTest {

    private static final String EVENTS = "fanout.artifact-events";

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.PROCESSING_GUARANTEE, "at_least_once"));
        fanout.subscribe(subscription("app-a", "on-release").build());
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void bytesThatAreNotAvroAreADeadLetterWithTheirSource() {
        // When bytes that are not in the wire format arrive
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        fanout.emitRaw("lib-core:release", garbage);

        // Then they are a dead letter, unchanged, with the reason and where they came from
        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("lib-core:release");
        assertThat(header(letter, DeadLetters.REASON)).startsWith("cannot read the record:").contains(EVENTS);
        assertThat(header(letter, ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME)).isEqualTo(EVENTS);
        assertThat(header(letter, ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME)).isEqualTo("0");
        assertThat(header(letter, ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME)).isEqualTo("0");
        assertThat(header(letter, ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME)).isNotBlank();
    }

    @Test
    void aSchemaIdTheRegistryDoesNotKnowIsADeadLetter() {
        // When a well-framed value names schema id 9999
        byte[] value = ByteBuffer.allocate(7).put((byte) 0).putInt(9999).put(new byte[] {2, 4}).array();
        fanout.emitRaw("lib-core:release", value);

        // Then it is a dead letter naming the id
        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(letter.value()).isEqualTo(value);
        assertThat(header(letter, DeadLetters.REASON)).contains("schema id 9999").contains("unknown");
    }

    @Test
    void processingGoesOnAfterADeadLetter() {
        // Given a bad record
        fanout.emitRaw("lib-core:release", new byte[] {1, 2, 3});

        // When a good event follows
        fanout.emit(event("e1").build());

        // Then it is triggered
        assertThat(fanout.triggers()).hasSize(1);
        assertThat(fanout.deadLetters()).hasSize(1);
    }

    private TestRecord<byte[], byte[]> onlyDeadLetter() {
        List<TestRecord<byte[], byte[]>> letters = fanout.deadLetters();
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }
}
