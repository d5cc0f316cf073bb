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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record a processor fails on is dead-lettered once and skipped, whatever the failure, so a replaced
 * thread never reads it only to fail again; Kafka's own exceptions stay Streams' to handle.
 */
class ProcessingHandlerTest {

    private final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
    private final ErrorHandlerContext context = new Context();

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
    void kafkasOwnExceptionsAreLeftToStreams() {
        Response response = handler.handleError(context, new Record<>("k", "v", 0L),
                new ProducerFencedException("fenced"));

        assertThat(response.result()).isEqualTo(Result.FAIL);
    }

    private static String reason(ProducerRecord<byte[], byte[]> letter) {
        return new String(letter.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
    }

    private static final class Context implements ErrorHandlerContext {
        @Override public String topic() { return "fanout.run-status"; }
        @Override public int partition() { return 1; }
        @Override public long offset() { return 42; }
        @Override public Headers headers() { return new RecordHeaders(); }
        @Override public String processorNodeId() { return "tree.coordinate"; }
        @Override public TaskId taskId() { return new TaskId(1, 1); }
        @Override public long timestamp() { return 0; }
        @Override public byte[] sourceRawKey() { return "raw-key".getBytes(StandardCharsets.UTF_8); }
        @Override public byte[] sourceRawValue() { return "raw-value".getBytes(StandardCharsets.UTF_8); }
    }
}
