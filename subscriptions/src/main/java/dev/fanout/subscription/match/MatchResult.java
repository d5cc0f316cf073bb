package dev.fanout.subscription.match;

import java.util.Objects;

/**
 * Whether an event reaches a subscription, and if not, which rule said no and why.
 *
 * @param outcome {@link Outcome#MATCHED} or the rule that rejected
 * @param reason  human-readable; names the values compared. Empty when matched
 */
public record MatchResult(Outcome outcome, String reason) {

    /** Outcomes in the order the rules are applied. */
    public enum Outcome {
        MATCHED,
        /** The event's artifact ref is not the subscription's. */
        ARTIFACT_DIFFERS,
        /** The event type is not in the subscription's {@code events}. */
        EVENT_TYPE_NOT_LISTED,
        /** Bad input: the event's schema_version is not a semantic version. The matcher dead-letters it. */
        SCHEMA_VERSION_NOT_SEMVER,
        /** The event's schema_version is outside the subscription's range. */
        VERSION_OUT_OF_RANGE,
        /** Bad input: the payload is not JSON. The matcher dead-letters it. */
        PAYLOAD_NOT_JSON,
        /** The filter evaluated to false. */
        FILTER_FALSE,
        /** The filter could not be evaluated (missing key, iteration budget, ...). */
        FILTER_FAILED;

        /** Outcomes caused by the event itself rather than by the subscription. */
        public boolean isBadEvent() {
            return this == SCHEMA_VERSION_NOT_SEMVER || this == PAYLOAD_NOT_JSON;
        }
    }

    private static final MatchResult MATCHED = new MatchResult(Outcome.MATCHED, "");

    public MatchResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    public static MatchResult matched() {
        return MATCHED;
    }

    public static MatchResult rejected(Outcome outcome, String reason) {
        if (outcome == Outcome.MATCHED) {
            throw new IllegalArgumentException("a rejection needs a rejecting outcome");
        }
        return new MatchResult(outcome, reason);
    }

    public boolean isMatch() {
        return outcome == Outcome.MATCHED;
    }
}
