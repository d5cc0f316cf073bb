package dev.fanout.tree.timer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.RetryPolicy;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final RetryPolicy policy = new RetryPolicy(3, 1_000L, 2.0);

    @Test
    void theDelayGrowsByTheMultiplierWithEachFailedAttempt() {
        assertThat(Backoff.delayMs(policy, 1)).isEqualTo(1_000);
        assertThat(Backoff.delayMs(policy, 2)).isEqualTo(2_000);
        assertThat(Backoff.delayMs(policy, 3)).isEqualTo(4_000);
    }

    @Test
    void aRunIsRetriedWhileItHasAttemptsLeftAndTheFailureIsRetryable() {
        assertThat(Backoff.retries(policy, 2, true)).isTrue();
        assertThat(Backoff.retries(policy, 3, true)).isFalse();
        assertThat(Backoff.retries(policy, 1, false)).isFalse();
        assertThat(Backoff.retries(null, 1, true)).isFalse();
    }
}
