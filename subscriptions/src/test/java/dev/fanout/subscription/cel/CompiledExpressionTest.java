package dev.fanout.subscription.cel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.subscription.cel.SubscriptionExpressions.Scope;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CompiledExpressionTest {

    private static Map<String, Object> event(Map<String, Object> payload) {
        return Map.of("event", Map.of("payload", payload));
    }

    @Test
    void aMissingKeyIsAFailedEvaluationWithTheReason() throws Exception {
        // Given
        CompiledExpression compiled = SubscriptionExpressions.withDefaultLimits()
                .compile("event.payload.env == 'prod'", Scope.EVENT);

        // When
        Evaluation<Object> result = compiled.evaluate(event(Map.of("channel", "stable")));

        // Then
        assertThat(result.isOk()).isFalse();
        assertThat(result.reason()).contains("key 'env' is not present in map");
    }

    @Test
    void nestedComprehensionsBeyondTheIterationBudgetFailInsteadOfRunningOn() throws Exception {
        // Given 100 elements nested twice: 10 000 iterations against a budget of 1 000
        SubscriptionExpressions limited = new SubscriptionExpressions(new CelLimits(1_000, 4_096, 1_000));
        CompiledExpression compiled = limited.compile(
                "event.payload.numbers.all(x, event.payload.numbers.all(y, x + y >= 0))", Scope.EVENT);
        List<Long> numbers = LongStream.range(0, 100).boxed().toList();

        // When
        Evaluation<Object> result = compiled.evaluate(event(Map.of("numbers", numbers)));

        // Then
        assertThat(result.isOk()).isFalse();
        assertThat(result.reason()).containsIgnoringCase("iteration budget exceeded");
    }

    @Test
    void divisionByZeroIsAFailedEvaluation() throws Exception {
        CompiledExpression compiled = SubscriptionExpressions.withDefaultLimits()
                .compile("event.payload.count / 0", Scope.EVENT);

        Evaluation<Object> result = compiled.evaluate(event(Map.of("count", 4L)));

        assertThat(result.reason()).contains("by zero");
    }
}
