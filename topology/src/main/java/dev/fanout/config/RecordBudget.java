package dev.fanout.config;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How many bytes one Avro value the topology writes may take, on an output topic or in a changelogged
 * store: the smaller of what its producer sends in one request ({@code max.request.size}) and what the
 * topics accept ({@code max.message.bytes}, as the internal topics are configured through Streams'
 * {@code topic.} prefix), less room for the key, headers and record overhead. A record over it would be
 * refused by the producer or the broker, and under exactly-once a refused send aborts the transaction: the
 * same input would fail again at every retry. So what Fanout writes is kept within it (results cut, a
 * trigger that cannot fit fails its run), and what it reads that could not fit is refused at the door.
 */
public record RecordBudget(int bytes) {

    /** Kafka's defaults: the producer's {@code max.request.size}, the broker's {@code message.max.bytes}. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    /** Keys, headers, the wire format's 5 bytes, record and batch overhead, with a wide margin. */
    static final int HEADROOM = 64 * 1024;

    public RecordBudget {
        if (bytes <= 0) {
            throw new IllegalArgumentException("record budget must be positive, was " + bytes);
        }
    }

    /** The budget the settings give: producer and topic limits as configured, Kafka's defaults otherwise. */
    public static RecordBudget from(Map<?, ?> settings) {
        int request = intSetting(settings, DEFAULT_MAX_REQUEST_SIZE, ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        int message = intSetting(settings, DEFAULT_MAX_MESSAGE_BYTES,
                StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
        int limit = Math.min(request, message);
        return new RecordBudget(Math.max(limit / 2, limit - HEADROOM));
    }

    /** Whether {@code value} (an Avro record) fits. */
    public boolean fits(IndexedRecord value) {
        return sizeOf(value) <= bytes;
    }

    /** A part of the budget: {@code fraction} of it, for one field of a record that has others. */
    public int share(double fraction) {
        return (int) (bytes * fraction);
    }

    /**
     * An upper bound of the Avro binary size of {@code value} (a record, or any value inside one): strings
     * count their UTF-8 bytes, and every length, number and union branch its longest varint. Close to
     * exact, without encoding anything.
     */
    public static long sizeOf(Object value) {
        if (value == null) {
            return 1;
        }
        if (value instanceof CharSequence text) {
            return 5 + utf8Length(text);
        }
        if (value instanceof IndexedRecord record) {
            long size = 0;
            for (Schema.Field field : record.getSchema().getFields()) {
                size += 1 + sizeOf(record.get(field.pos())); // a union's branch index at most
            }
            return size;
        }
        if (value instanceof Collection<?> items) {
            long size = 10;
            for (Object item : items) {
                size += sizeOf(item);
            }
            return size;
        }
        if (value instanceof Map<?, ?> map) {
            long size = 10;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += sizeOf(entry.getKey()) + sizeOf(entry.getValue());
            }
            return size;
        }
        if (value instanceof ByteBuffer bytes) {
            return 5 + bytes.remaining();
        }
        if (value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
            return 5;
        }
        return 10; // a number, boolean or timestamp
    }

    private static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    private static int intSetting(Map<?, ?> settings, int defaultValue, String... keys) {
        for (String key : keys) {
            Object value = settings.get(key);
            if (value != null) {
                return value instanceof Number number ? number.intValue() : Integer.parseInt(value.toString().trim());
            }
        }
        return defaultValue;
    }
}
