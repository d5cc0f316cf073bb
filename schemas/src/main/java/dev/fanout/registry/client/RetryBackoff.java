package dev.fanout.registry.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry waits about {@code initial * 2^(n-1)}, at most
 * {@code max}, give or take a fifth so that many clients that failed together do not retry together.
 */
record RetryBackoff(Duration initial, Duration max) {

    static final double JITTER = 0.2;

    Duration delayBeforeRetry(int retry) {
        double exponential = initial.toMillis() * Math.pow(2, retry - 1);
        double capped = Math.min(exponential, max.toMillis());
        double jitter = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.round(capped * jitter));
    }
}
