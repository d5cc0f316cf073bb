package dev.fanout.worker;

import java.util.Objects;

/**
 * The outcome a {@link RunHandler} returns: SUCCEEDED with an optional output (JSON text, carried to
 * the waiting parent in {@code FanOutDone.results}), or FAILED with an error and whether a retry may help.
 */
public record RunResult(boolean successful, String output, String error, boolean retryable) {

    public RunResult {
        if (!successful) {
            Objects.requireNonNull(error, "error");
        }
    }

    /** Succeeded with {@code outputJson} as its output: JSON text such as {@code {"url":"..."}}, or null. */
    public static RunResult succeeded(String outputJson) {
        return new RunResult(true, outputJson, null, true);
    }

    /** Succeeded without an output. */
    public static RunResult succeeded() {
        return new RunResult(true, null, null, true);
    }

    /** Failed; retried when the subscription has attempts left. */
    public static RunResult failed(String error) {
        return new RunResult(false, null, error, true);
    }

    /** Failed; {@code retryable} false stops the retries even when attempts are left. */
    public static RunResult failed(String error, boolean retryable) {
        return new RunResult(false, null, error, retryable);
    }
}
