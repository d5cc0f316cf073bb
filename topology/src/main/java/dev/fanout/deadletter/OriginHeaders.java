package dev.fanout.deadletter;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Stamps each record with where it was read ({@value DeadLetters#ORIGIN_TOPIC}, partition, offset) before
 * it goes through a repartition topic, unless it already says. Headers travel with the record, so a dead
 * letter raised after the repartition names the contract topic, partition and offset a user can find,
 * not an internal topic's ({@link DeadLetters#record}).
 */
public final class OriginHeaders<K, V> implements Processor<K, V, K, V> {

    private ProcessorContext<K, V> context;

    @Override
    public void init(ProcessorContext<K, V> context) {
        this.context = context;
    }

    @Override
    public void process(Record<K, V> record) {
        context.forward(stamped(record, context.recordMetadata().orElse(null)));
    }

    /** {@code record} with origin headers from {@code origin}, if it has none yet and the origin is known. */
    public static <K, V> Record<K, V> stamped(Record<K, V> record, RecordMetadata origin) {
        Headers headers = record.headers();
        if (origin == null || origin.topic() == null || headers.lastHeader(DeadLetters.ORIGIN_TOPIC) != null) {
            return record;
        }
        headers.add(DeadLetters.ORIGIN_TOPIC, utf8(origin.topic()));
        headers.add(DeadLetters.ORIGIN_PARTITION, utf8(String.valueOf(origin.partition())));
        headers.add(DeadLetters.ORIGIN_OFFSET, utf8(String.valueOf(origin.offset())));
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
