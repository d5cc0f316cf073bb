package dev.fanout.tree.timer;

import dev.fanout.avro.RetryPolicy;
import java.util.OptionalLong;

/**
 * Whether and when a failed run is tried again: after {@code backoff_ms * backoff_multiplier^(attempt-1)},
 * while its policy has attempts left. {@link #nextAttemptAt} is the one rule for every failed or expired
 * attempt, children and compensation runs alike (the tree's {@code Attempts} applies it).
 */
public final class Backoff {

    private Backoff() {
    }

    /**
     * The fate of an attempt that failed or ran out of time: when its next attempt is due, or empty when the
     * run ends. It is retried when the worker says it may be ({@code retryable}; a timeout always may), the
     * policy has attempts left, and its tree was not cancelled.
     *
     * @param failedAttempt the attempt that failed, 1-based
     */
    public static OptionalLong nextAttemptAt(RetryPolicy policy, int failedAttempt, boolean retryable, boolean cancelled,
            long nowMs) {
        if (cancelled || !retries(policy, failedAttempt, retryable)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(nowMs + delayMs(policy, failedAttempt));
    }

    /** Whether the run that failed its {@code attempt} gets another one. */
    public static boolean retries(RetryPolicy policy, int attempt, boolean retryable) {
        return retryable && policy != null && attempt < policy.getMaxAttempts();
    }

    /** @param attempt the attempt that failed, 1-based */
    public static long delayMs(RetryPolicy policy, int attempt) {
        double delay = policy.getBackoffMs() * Math.pow(policy.getBackoffMultiplier(), attempt - 1);
        return delay >= Long.MAX_VALUE ? Long.MAX_VALUE / 2 : Math.max(0, Math.round(delay));
    }
}
