package dev.fanout.subscription;

import dev.fanout.avro.Subscription;
import dev.fanout.subscription.cel.CompiledExpression;
import dev.fanout.subscription.cel.InvalidExpressionException;
import dev.fanout.subscription.cel.SubscriptionExpressions;
import dev.fanout.subscription.cel.SubscriptionExpressions.Scope;
import dev.fanout.subscription.version.InvalidVersionRangeException;
import dev.fanout.subscription.version.VersionRange;
import dev.fanout.subscription.version.VersionRanges;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a {@link Subscription} into a {@link CompiledSubscription}, or into its problems.
 *
 * <p>It validates first and compiles after. That compiles the expressions twice, which is deliberate:
 * it happens once per subscription version (the result is cached), and it keeps the validator usable
 * on its own by the CLI.
 */
public final class SubscriptionCompiler {

    private final SubscriptionExpressions expressions;
    private final VersionRanges ranges;
    private final SubscriptionValidator validator;

    public SubscriptionCompiler(SubscriptionExpressions expressions, VersionRanges ranges) {
        this.expressions = Objects.requireNonNull(expressions, "expressions");
        this.ranges = Objects.requireNonNull(ranges, "ranges");
        this.validator = new SubscriptionValidator(expressions, ranges);
    }

    public static SubscriptionCompiler withDefaults() {
        return new SubscriptionCompiler(SubscriptionExpressions.withDefaultLimits(), new VersionRanges());
    }

    public SubscriptionValidator validator() {
        return validator;
    }

    public Compilation compile(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        // A private copy: Avro records are mutable and the compiled form must not change under the caller.
        // deepCopy rather than the builder: the builder refuses nulls, and a record with nulls must become problems.
        Subscription copy = subscription.getSpecificData().deepCopy(subscription.getSchema(), subscription);
        List<Problem> problems = validator.validate(copy);
        if (!problems.isEmpty()) {
            return new Compilation.Invalid(copy, problems);
        }
        try {
            VersionRange range = ranges.parse(copy.getSchemaVersion());
            CompiledExpression filter = compileOptional(copy.getFilter(), Scope.EVENT);
            CompiledExpression foreach = compileOptional(copy.getForeach(), Scope.EVENT);
            SortedMap<String, CompiledExpression> inputs = new TreeMap<>();
            Scope inputScope = SubscriptionValidator.inputScope(copy);
            for (Map.Entry<String, String> input : copy.getInputs().entrySet()) {
                inputs.put(input.getKey(), expressions.compile(input.getValue(), inputScope));
            }
            return new Compilation.Valid(new CompiledSubscription(copy, range, filter, foreach, inputs));
        } catch (InvalidExpressionException | InvalidVersionRangeException e) {
            // Unreachable after validation; kept as a problem rather than a crash all the same.
            return new Compilation.Invalid(copy, List.of(new Problem("id",
                    "subscription " + copy.getId() + ": " + e.getMessage())));
        }
    }

    private CompiledExpression compileOptional(String source, Scope scope) throws InvalidExpressionException {
        return source == null ? null : expressions.compile(source, scope);
    }
}
