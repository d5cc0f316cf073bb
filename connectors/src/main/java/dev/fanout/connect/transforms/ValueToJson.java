package dev.fanout.connect.transforms;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Replaces the whole value with its JSON text ({@link ConnectJson}), one line per record: Kafka's
 * {@code FileStreamSink} writes a value's {@code toString()}, which for a struct is not JSON.
 *
 * <pre>
 * transforms=asJson
 * transforms.asJson.type=dev.fanout.connect.transforms.ValueToJson
 * </pre>
 */
public final class ValueToJson<R extends ConnectRecord<R>> implements Transformation<R> {

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                Schema.STRING_SCHEMA, ConnectJson.text(record.valueSchema(), record.value()), record.timestamp(),
                record.headers());
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
    }
}
