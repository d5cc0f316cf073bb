package dev.fanout.subscription.cel;

import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** A type-checked CEL expression and its program, ready to evaluate many times from any thread. */
public final class CompiledExpression {

    // cel-java prefixes messages with "evaluation error at <input>:<offset>: "; the offset is kept, the noise is not.
    private static final Pattern CEL_PREFIX = Pattern.compile("^evaluation error(?: at <input>:(\\d+))?: ");

    private final String source;
    private final CelType resultType;
    private final CelRuntime.Program program;

    CompiledExpression(String source, CelType resultType, CelRuntime.Program program) {
        this.source = source;
        this.resultType = resultType;
        this.program = program;
    }

    public String source() {
        return source;
    }

    /** The checked result type; {@code dyn} when it depends on the payload. */
    public CelType resultType() {
        return resultType;
    }

    public boolean isBoolean() {
        return resultType.kind() == CelKind.BOOL;
    }

    public boolean mayBeList() {
        return resultType.kind() == CelKind.LIST || resultType.kind() == CelKind.DYN;
    }

    /**
     * Evaluates against the given variables. Every failure, including iteration-budget overruns and
     * unexpected runtime exceptions from the interpreter, becomes a failed evaluation.
     */
    public Evaluation<Object> evaluate(Map<String, ?> variables) {
        Objects.requireNonNull(variables, "variables");
        try {
            Object value = program.eval(variables);
            return value == null ? Evaluation.failed("yielded no value") : Evaluation.ok(value);
        } catch (CelEvaluationException e) {
            return Evaluation.failed(describe(e));
        } catch (RuntimeException e) {
            // The interpreter is third-party code fed with user expressions and payloads: contain it.
            return Evaluation.failed("evaluation failed unexpectedly: " + e);
        }
    }

    private static String describe(CelEvaluationException e) {
        String message = String.valueOf(e.getMessage());
        var matcher = CEL_PREFIX.matcher(message);
        if (!matcher.find()) {
            return message;
        }
        String rest = message.substring(matcher.end());
        return matcher.group(1) == null ? rest : rest + " (at offset " + matcher.group(1) + ")";
    }

    @Override
    public String toString() {
        return source;
    }
}
