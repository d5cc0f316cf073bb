package dev.fanout.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records refused by a processor ({@link RejectedRecordException}) to the dead letters and goes
 * on. A record a processor fails on otherwise (a bug in Fanout, or input no check foresaw) goes there
 * too, once, with the exception as its reason, and is skipped: failing would replace the thread, which
 * would read the same record and fail again without end, stopping every tree of its partition. Kafka's
 * own exceptions (a fenced producer, a migrated task) are for Streams to handle and fail as before.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        RejectedRecordException rejected = rejection(exception);
        if (rejected != null) {
            LOG.warn("dead letter from {}-{}@{}: {}", context.topic(), context.partition(), context.offset(),
                    rejected.reason());
            return Response.resume(List.of(deadLetters.record(context, context.sourceRawKey(),
                    context.sourceRawValue(), rejected, rejected.reason())));
        }
        if (exception instanceof KafkaException) {
            return Response.fail();
        }
        String reason = "processor " + context.processorNodeId() + " failed on this record (" + exception
                + "); it was skipped. This is a bug in Fanout: report it with this dead letter";
        LOG.error("dead letter from {}-{}@{}: processor {} failed on it; skipped", context.topic(),
                context.partition(), context.offset(), context.processorNodeId(), exception);
        return Response.resume(List.of(deadLetters.record(context, context.sourceRawKey(), context.sourceRawValue(),
                exception, reason)));
    }

    private static RejectedRecordException rejection(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RejectedRecordException rejected) {
                return rejected;
            }
        }
        return null;
    }
}
