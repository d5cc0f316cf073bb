package dev.fanout.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;

/**
 * Builds dead-letter records: the original key and value bytes, Kafka's standard
 * {@code __streams.errors.*} headers (exception, message, stack trace, source topic, partition, offset)
 * and Fanout's own {@link #REASON} sentence.
 */
public final class DeadLetters {

    /** The reason in one sentence that names the thing, the value and the fix. */
    public static final String REASON = "fanout.reason";
    /** Where an event was first read, when it was refused after an internal topic (unknown parent). */
    public static final String ORIGIN_TOPIC = "fanout.origin.topic";
    public static final String ORIGIN_PARTITION = "fanout.origin.partition";
    public static final String ORIGIN_OFFSET = "fanout.origin.offset";

    private final String topic;

    private DeadLetters(String topic) {
        this.topic = topic;
    }

    /** The dead-letter topic named by {@code errors.dead.letter.queue.topic.name} in a handler's configuration. */
    static DeadLetters from(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " is not set; Fanout's handlers need it, e.g. fanout.dead-letters");
        }
        return new DeadLetters(topic.toString());
    }

    ProducerRecord<byte[], byte[]> record(ErrorHandlerContext context, byte[] key, byte[] value, Exception exception,
                                          String reason) {
        Objects.requireNonNull(reason, "reason");
        ProducerRecord<byte[], byte[]> record =
                ExceptionHandlerUtils.buildDeadLetterQueueRecord(topic, key, value, context, exception);
        Headers headers = record.headers();
        headers.add(REASON, utf8(reason));
        if (exception instanceof RejectedRecordException rejected && rejected.origin().isPresent()) {
            RejectedRecordException.Origin origin = rejected.origin().get();
            headers.add(ORIGIN_TOPIC, utf8(origin.topic()));
            headers.add(ORIGIN_PARTITION, utf8(String.valueOf(origin.partition())));
            headers.add(ORIGIN_OFFSET, utf8(String.valueOf(origin.offset())));
        } else if (context.headers() != null && context.headers().lastHeader(ORIGIN_TOPIC) != null
                && headers.lastHeader(ORIGIN_TOPIC) == null) {
            // Read after a repartition: the record carries where it was first read (OriginHeaders).
            for (String name : new String[] {ORIGIN_TOPIC, ORIGIN_PARTITION, ORIGIN_OFFSET}) {
                Header origin = context.headers().lastHeader(name);
                if (origin != null) {
                    headers.add(name, origin.value());
                }
            }
        }
        return record;
    }

    /** Whether {@code type} is {@code exception} or one of its causes. */
    static boolean causedBy(Throwable exception, Class<? extends Throwable> type) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
