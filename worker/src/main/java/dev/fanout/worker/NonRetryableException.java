package dev.fanout.worker;

/**
 * Thrown by a handler when trying again cannot help (bad input, a refused deployment): the run is
 * reported FAILED with {@code retryable: false}, so it is not retried even when attempts are left.
 * Any other exception is reported as a retryable failure.
 */
public class NonRetryableException extends RuntimeException {

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
