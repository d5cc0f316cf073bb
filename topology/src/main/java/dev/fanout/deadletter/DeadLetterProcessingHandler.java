package dev.fanout.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records refused by a processor ({@link RejectedRecordException}) to the dead letters and goes
 * on. Anything else is a bug in Fanout, not bad input: it fails, so the thread is replaced and the
 * record retried rather than quietly parked.
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
        if (rejected == null) {
            LOG.error("processor {} failed on {}-{}@{}; stopping the thread", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        LOG.warn("dead letter from {}-{}@{}: {}", context.topic(), context.partition(), context.offset(),
                rejected.reason());
        return Response.resume(List.of(deadLetters.record(context, context.sourceRawKey(), context.sourceRawValue(),
                rejected, rejected.reason())));
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
