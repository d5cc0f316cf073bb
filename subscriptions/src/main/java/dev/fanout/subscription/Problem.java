package dev.fanout.subscription;

import java.util.Objects;

/**
 * One thing wrong with a subscription.
 *
 * @param field   the tako.yml key the problem concerns, dotted for nested keys ({@code retry.max_attempts},
 *                {@code inputs.version}); the tako.yml reader turns it into a line number
 * @param message complete and user-facing: names the subscription, the value and the fix, because it
 *                travels alone (dead-letter headers, CLI output)
 */
public record Problem(String field, String message) {

    public Problem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return message;
    }
}
