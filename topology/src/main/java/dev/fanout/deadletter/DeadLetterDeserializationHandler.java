package dev.fanout.deadletter;

import dev.fanout.registry.client.SchemaRegistryUnavailableException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be read (bytes that are not Avro in the wire format, a schema id the
 * registry does not know, a writer schema we cannot read) to the dead letters and goes on. A registry
 * that cannot be reached is different: the bytes may be fine, so it fails rather than dead-lettering
 * every record of an outage.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (DeadLetters.causedBy(exception, SchemaRegistryUnavailableException.class)) {
            LOG.error("cannot reach the Schema Registry to read {}-{}@{}", record.topic(), record.partition(),
                    record.offset(), exception);
            return Response.fail();
        }
        String reason = "cannot read the record: " + exception.getMessage();
        LOG.warn("dead letter from {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        return Response.resume(List.of(deadLetters.record(context, record.key(), record.value(), exception, reason)));
    }
}
