package dev.fanout.subscription.cel;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.List;
import java.util.Objects;

/**
 * The CEL environments subscriptions are written against.
 *
 * <p>{@code event} is a {@code map(string, dyn)} (see {@link EventVariables}); expressions that feed a
 * {@code foreach} child also see {@code item} (dyn) and {@code index} (int). Two environments rather
 * than one, so that using {@code item} without a {@code foreach} is a compile error, not a runtime
 * surprise.
 */
public final class SubscriptionExpressions {

    public static final String EVENT = "event";
    public static final String ITEM = "item";
    public static final String INDEX = "index";

    /** Which variables an expression may use. */
    public enum Scope {
        /** {@code event}: filters, {@code foreach}, inputs of subscriptions without {@code foreach}. */
        EVENT,
        /** {@code event}, {@code item}, {@code index}: inputs of subscriptions with {@code foreach}. */
        EVENT_AND_ITEM
    }

    private final CelLimits limits;
    private final Cel eventScope;
    private final Cel itemScope;

    public SubscriptionExpressions(CelLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        CelOptions options = CelOptions.current()
                // JSON does not distinguish 3 from 3.0; without this, "event.payload.price > 10" fails for 10.5.
                .enableHeterogeneousNumericComparisons(true)
                .comprehensionMaxIterations(limits.maxIterations())
                .maxExpressionCodePointSize(limits.maxExpressionLength())
                .maxRegexProgramSize(limits.maxRegexProgramSize())
                .build();
        this.eventScope = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar(EVENT, MapType.create(SimpleType.STRING, SimpleType.DYN))
                .build();
        this.itemScope = eventScope.toCelBuilder()
                .addVar(ITEM, SimpleType.DYN)
                .addVar(INDEX, SimpleType.INT)
                .build();
    }

    public static SubscriptionExpressions withDefaultLimits() {
        return new SubscriptionExpressions(CelLimits.DEFAULTS);
    }

    public CelLimits limits() {
        return limits;
    }

    /** Parses and type-checks {@code source}; the exception message is the first compiler issue with its position. */
    public CompiledExpression compile(String source, Scope scope) throws InvalidExpressionException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(scope, "scope");
        Cel cel = scope == Scope.EVENT ? eventScope : itemScope;
        CelValidationResult result;
        try {
            result = cel.compile(source);
        } catch (RuntimeException e) {
            throw new InvalidExpressionException("the compiler failed: " + e.getMessage());
        }
        if (result.hasError()) {
            throw new InvalidExpressionException(describe(result.getErrors()));
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new CompiledExpression(source, ast.getResultType(), cel.createProgram(ast));
        } catch (dev.cel.common.CelValidationException | CelEvaluationException e) {
            throw new InvalidExpressionException(e.getMessage());
        }
    }

    private static String describe(List<CelIssue> issues) {
        CelIssue first = issues.get(0);
        var location = first.getSourceLocation();
        // Subscriptions use no CEL container, so "(in container '')" only adds noise.
        String message = first.getMessage().replace(" (in container '')", "");
        if (location.getLine() > 0) {
            // cel-java columns are 0-based; editors count from 1.
            message += " at " + location.getLine() + ":" + (location.getColumn() + 1);
        }
        return issues.size() == 1 ? message : message + " (and " + (issues.size() - 1) + " more)";
    }
}
