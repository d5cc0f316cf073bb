package dev.fanout.tree;

import dev.fanout.avro.RetryPolicy;

/** When a failed run is tried again: {@code backoff_ms * backoff_multiplier^(attempt-1)}. */
final class Backoff {

    private Backoff() {
    }

    /** Whether the run that failed its {@code attempt} gets another one. */
    static boolean retries(RetryPolicy policy, int attempt, boolean retryable) {
        return retryable && policy != null && attempt < policy.getMaxAttempts();
    }

    /** @param attempt the attempt that failed, 1-based */
    static long delayMs(RetryPolicy policy, int attempt) {
        double delay = policy.getBackoffMs() * Math.pow(policy.getBackoffMultiplier(), attempt - 1);
        return delay >= Long.MAX_VALUE ? Long.MAX_VALUE / 2 : Math.max(0, Math.round(delay));
    }
}
