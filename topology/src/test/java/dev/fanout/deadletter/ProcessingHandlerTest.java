package dev.fanout.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record a processor fails on is dead-lettered once and skipped, whatever the failure, so a replaced
 * thread never reads it only to fail again; Kafka's own exceptions stay Streams' to handle.
 */
class ProcessingHandlerTest {

    private final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
    private final ErrorHandlerContext context = new Context(new RecordHeaders());

    @BeforeEach
    void configure() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "fanout.dead-letters"));
    }

    @Test
    void anUnexpectedFailureIsDeadLetteredWithItsReasonAndSkipped() {
        // When a processor fails on a record with an exception no check foresaw
        Response response = handler.handleError(context, new Record<>("k", "v", 0L),
                new IllegalStateException("run r-1 cannot go from SUCCEEDED to RUNNING"));

        // Then processing resumes, with one dead letter of the original bytes naming the processor and the failure
        assertThat(response.result()).isEqualTo(Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo("fanout.dead-letters");
            assertThat(letter.value()).isEqualTo("raw-value".getBytes(StandardCharsets.UTF_8));
            assertThat(reason(letter)).contains("tree.coordinate").contains("cannot go from SUCCEEDED to RUNNING")
                    .contains("skipped");
        });
    }

    @Test
    void aRecordReadAfterARepartitionNamesWhereItWasFirstRead() {
        // Given a status stamped with its origin before the repartition
        Record<String, String> status = OriginHeaders.stamped(new Record<>("r-1", "v", 0L),
                new Origin("fanout.run-status", 2, 1_234L));
        Context repartitioned = new Context(status.headers());

        // When the coordinator fails on it
        Response response = handler.handleError(repartitioned, status, new IllegalStateException("boom"));

        // Then its dead letter names the contract topic, partition and offset it came from
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertThat(header(letter, DeadLetters.ORIGIN_TOPIC)).isEqualTo("fanout.run-status");
        assertThat(header(letter, DeadLetters.ORIGIN_PARTITION)).isEqualTo("2");
        assertThat(header(letter, DeadLetters.ORIGIN_OFFSET)).isEqualTo("1234");
    }

    @Test
    void aRecordAlreadyStampedKeepsItsFirstOrigin() {
        Record<String, String> once = OriginHeaders.stamped(new Record<>("k", "v", 0L), new Origin("first", 0, 1L));

        Record<String, String> twice = OriginHeaders.stamped(once, new Origin("second", 1, 2L));

        assertThat(twice.headers().headers(DeadLetters.ORIGIN_TOPIC)).hasSize(1);
        assertThat(new String(twice.headers().lastHeader(DeadLetters.ORIGIN_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo("first");
    }

    @Test
    void kafkasOwnExceptionsAreLeftToStreams() {
        Response response = handler.handleError(context, new Record<>("k", "v", 0L),
                new ProducerFencedException("fenced"));

        assertThat(response.result()).isEqualTo(Result.FAIL);
    }

    private static String reason(ProducerRecord<byte[], byte[]> letter) {
        return header(letter, DeadLetters.REASON);
    }

    private static String header(ProducerRecord<byte[], byte[]> letter, String name) {
        return new String(letter.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private record Origin(String topic, int partition, long offset) implements RecordMetadata {
    }

    private static final class Context implements ErrorHandlerContext {
        private final Headers headers;

        Context(Headers headers) {
            this.headers = headers;
        }

        @Override public String topic() { return "fanout-tree.statuses-by-tree-repartition"; }
        @Override public int partition() { return 1; }
        @Override public long offset() { return 42; }
        @Override public Headers headers() { return headers; }
        @Override public String processorNodeId() { return "tree.coordinate"; }
        @Override public TaskId taskId() { return new TaskId(1, 1); }
        @Override public long timestamp() { return 0; }
        @Override public byte[] sourceRawKey() { return "raw-key".getBytes(StandardCharsets.UTF_8); }
        @Override public byte[] sourceRawValue() { return "raw-value".getBytes(StandardCharsets.UTF_8); }
    }
}
