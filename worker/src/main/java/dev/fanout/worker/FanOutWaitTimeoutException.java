package dev.fanout.worker;

import java.time.Duration;

/**
 * {@link Run#emitAndWait} gave up: the fan-out's {@code FanOutDone} did not arrive in time. The
 * fan-out goes on (its children are not cancelled); a handler that lets this propagate fails the run,
 * retryably, and its next attempt waits for the same fan-out again (see {@link NestedEvent}).
 */
public final class FanOutWaitTimeoutException extends RuntimeException {

    public FanOutWaitTimeoutException(String eventId, Duration timeout) {
        super("fan-out of event " + eventId + " did not finish within " + timeout
                + "; wait longer (emitAndWait's timeout) or give the fan-out a timeout_ms of its own");
    }
}
