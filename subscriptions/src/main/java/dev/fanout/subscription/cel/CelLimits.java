package dev.fanout.subscription.cel;

/**
 * Bounds on what a subscription's expressions may cost. Subscriptions are written by many teams and
 * evaluated for every matching event, so one expensive filter must not slow the matcher for everyone.
 *
 * @param maxIterations        comprehension iterations ({@code all}, {@code exists}, {@code map},
 *                             {@code filter}) per evaluation, summed over nested comprehensions
 * @param maxExpressionLength  code points per expression
 * @param maxRegexProgramSize  RE2 program size of {@code matches()} patterns
 */
public record CelLimits(int maxIterations, int maxExpressionLength, int maxRegexProgramSize) {

    public static final CelLimits DEFAULTS = new CelLimits(10_000, 4_096, 1_000);

    public CelLimits {
        requirePositive("maxIterations", maxIterations);
        requirePositive("maxExpressionLength", maxExpressionLength);
        requirePositive("maxRegexProgramSize", maxRegexProgramSize);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
