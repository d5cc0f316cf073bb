package dev.fanout.deadletter;

import java.util.Objects;
import java.util.Optional;

/**
 * Thrown by a processor for a record that must go to the dead letters: bad input, or a request Fanout
 * refuses (width cap, unknown parent). {@link DeadLetterProcessingHandler} catches it and sends the
 * record as it was read, with the reason in a header, and processing goes on. Any other exception is a
 * bug and stops the thread.
 *
 * <p>Processors throw it before they change state, except where the change is itself the right answer
 * to the bad record (an invalid subscription is taken out of the index first).
 */
public final class RejectedRecordException extends RuntimeException {

    /** Where the record was first read, when it reached the failing processor through an internal topic. */
    public record Origin(String topic, int partition, long offset) {
        public Origin {
            Objects.requireNonNull(topic, "topic");
        }
    }

    private final transient Origin origin;

    /** @param reason complete and user-facing: names the thing, the value and the fix */
    public RejectedRecordException(String reason) {
        this(reason, null);
    }

    public RejectedRecordException(String reason, Origin origin) {
        super(Objects.requireNonNull(reason, "reason"), null, false, false); // no stack trace: expected, not a bug
        this.origin = origin;
    }

    public String reason() {
        return getMessage();
    }

    public Optional<Origin> origin() {
        return Optional.ofNullable(origin);
    }
}
