package dev.fanout.deadletter;

import dev.fanout.registry.client.SchemaRegistryUnavailableException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the input record to the dead letters when what it produced cannot be written because of the
 * record itself: larger than the broker accepts, or not serializable. Anything else (the broker, the
 * network, authorization) is not the record's fault and fails, so Streams retries or stops.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            return Response.fail();
        }
        return deadLetter(context, "a record produced for it is too large for " + record.topic() + " ("
                + exception.getMessage() + "); make the event's payload or the subscription's inputs smaller", exception);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        if (DeadLetters.causedBy(exception, SchemaRegistryUnavailableException.class)) {
            return Response.fail(); // an outage, not a bad record
        }
        return deadLetter(context, "a record produced for it cannot be serialized for " + record.topic() + " ("
                + origin + "): " + exception.getMessage(), exception);
    }

    private Response deadLetter(ErrorHandlerContext context, String reason, Exception exception) {
        LOG.warn("dead letter from {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), reason);
        return Response.resume(List.of(deadLetters.record(context, context.sourceRawKey(), context.sourceRawValue(),
                exception, reason)));
    }
}
