package dev.fanout.subscription.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.common.types.CelKind;
import dev.fanout.subscription.cel.SubscriptionExpressions.Scope;
import org.junit.jupiter.api.Test;

class SubscriptionExpressionsTest {

    private final SubscriptionExpressions expressions = SubscriptionExpressions.withDefaultLimits();

    @Test
    void aComparisonOnThePayloadIsBoolTyped() throws Exception {
        CompiledExpression compiled = expressions.compile("event.payload.channel == \"stable\"", Scope.EVENT);

        assertThat(compiled.isBoolean()).isTrue();
    }

    @Test
    void aPayloadFieldIsDynTyped() throws Exception {
        CompiledExpression compiled = expressions.compile("event.payload.targets", Scope.EVENT);

        assertThat(compiled.resultType().kind()).isEqualTo(CelKind.DYN);
        assertThat(compiled.mayBeList()).isTrue();
    }

    @Test
    void aSyntaxErrorReportsTheCompilerMessageWithLineAndColumn() {
        assertThatThrownBy(() -> expressions.compile("event.payload.env ==", Scope.EVENT))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageStartingWith("mismatched input '<EOF>'")
                .hasMessageEndingWith("at 1:21");
    }

    @Test
    void itemIsUnknownOutsideAForeach() {
        assertThatThrownBy(() -> expressions.compile("item.name", Scope.EVENT))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageContaining("undeclared reference to 'item'");
    }

    @Test
    void itemAndIndexAreKnownUnderAForeach() throws Exception {
        CompiledExpression compiled = expressions.compile("{'name': item, 'position': index + 1}", Scope.EVENT_AND_ITEM);

        assertThat(compiled.resultType().kind()).isEqualTo(CelKind.MAP);
    }

    @Test
    void standardMacrosAreAvailable() throws Exception {
        CompiledExpression compiled = expressions.compile(
                "has(event.payload.targets) && event.payload.targets.exists(t, t == 'eu')", Scope.EVENT);

        assertThat(compiled.isBoolean()).isTrue();
    }

    @Test
    void anExpressionLongerThanTheLimitIsRefused() {
        // Given
        SubscriptionExpressions small = new SubscriptionExpressions(new CelLimits(100, 20, 100));

        // Then
        assertThatThrownBy(() -> small.compile("event.payload.channel == 'stable'", Scope.EVENT))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageContaining("exceeds");
    }
}
