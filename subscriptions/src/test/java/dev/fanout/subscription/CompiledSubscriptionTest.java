package dev.fanout.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.subscription.cel.Evaluation;
import dev.fanout.subscription.cel.EventVariables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompiledSubscriptionTest {

    private static EventVariables variables(String payload) {
        return EventVariables.from(Fixtures.event().setPayload(payload).build()).value();
    }

    private static final EventVariables STABLE = variables(
            "{\"version\":\"1.4.0\",\"channel\":\"stable\",\"targets\":[\"eu\",{\"region\":\"us\"}]}");

    @Test
    void aTrueFilterMatches() {
        CompiledSubscription subscription = Fixtures.compile(
                Fixtures.subscription().setFilter("event.payload.channel == 'stable'").build());

        assertThat(subscription.matches(STABLE).value()).isTrue();
    }

    @Test
    void aFalseFilterDoesNotMatch() {
        CompiledSubscription subscription = Fixtures.compile(
                Fixtures.subscription().setFilter("event.payload.channel == 'beta'").build());

        assertThat(subscription.matches(STABLE).value()).isFalse();
    }

    @Test
    void numbersInThePayloadCompareAcrossIntAndDouble() {
        CompiledSubscription subscription = Fixtures.compile(
                Fixtures.subscription().setFilter("event.payload.count >= 3").build());

        assertThat(subscription.matches(variables("{\"count\": 3.5}")).value()).isTrue();
    }

    @Test
    void anObjectInputIsRenderedAsAJsonObjectInWrittenOrder() {
        CompiledSubscription subscription = Fixtures.compile(Fixtures.subscription().setForeach("event.payload.targets")
                .setInputs(Map.of("target", "{\"region\": item, \"wave\": index + 1}")).build());

        Map<String, String> inputs = subscription.renderInputs(STABLE, "\"eu-west\"", 0).value();

        assertThat(inputs).containsExactly(Map.entry("target", "{\"region\":\"eu-west\",\"wave\":1}"));
    }

    @Test
    void withoutAFilterEveryEventMatches() {
        assertThat(Fixtures.compile(Fixtures.subscription().build()).matches(STABLE).value()).isTrue();
    }

    @Test
    void aFilterOnAMissingKeyFailsWithTheSubscriptionAndExpressionInTheReason() {
        // Given
        CompiledSubscription subscription = Fixtures.compile(
                Fixtures.subscription().setFilter("event.payload.env == 'prod'").build());

        // When
        Evaluation<Boolean> verdict = subscription.matches(STABLE);

        // Then
        assertThat(verdict.isOk()).isFalse();
        assertThat(verdict.reason()).startsWith("subscription app-b/on-release: filter 'event.payload.env == 'prod'' failed: ")
                .contains("key 'env' is not present");
    }

    @Test
    void inputsAreRenderedAsJsonTextsByName() {
        // Given
        CompiledSubscription subscription = Fixtures.compile(Fixtures.subscription()
                .setInputs(Map.of("version", "event.payload.version", "count", "size(event.payload.targets)")).build());

        // When
        Map<String, String> inputs = subscription.renderInputs(STABLE).value();

        // Then
        assertThat(inputs).containsExactly(Map.entry("count", "2"), Map.entry("version", "\"1.4.0\""));
    }

    @Test
    void foreachYieldsEachElementAsJsonTextInOrder() {
        CompiledSubscription subscription = Fixtures.compile(Fixtures.subscription()
                .setForeach("event.payload.targets").setInputs(Map.of()).build());

        List<String> items = subscription.items(STABLE).value();

        assertThat(items).containsExactly("\"eu\"", "{\"region\":\"us\"}");
    }

    @Test
    void inputsUnderForeachSeeTheItemAndItsIndex() {
        // Given
        CompiledSubscription subscription = Fixtures.compile(Fixtures.subscription()
                .setForeach("event.payload.targets")
                .setInputs(Map.of("target", "item.region", "position", "index")).build());

        // When
        Map<String, String> inputs = subscription.renderInputs(STABLE, "{\"region\":\"us\"}", 1).value();

        // Then
        assertThat(inputs).containsExactly(Map.entry("position", "1"), Map.entry("target", "\"us\""));
    }

    @Test
    void aForeachThatYieldsNoListAtRuntimeFails() {
        // Given a dyn foreach whose payload value is a string
        CompiledSubscription subscription = Fixtures.compile(Fixtures.subscription()
                .setForeach("event.payload.version").setInputs(Map.of()).build());

        // When
        Evaluation<List<String>> items = subscription.items(STABLE);

        // Then
        assertThat(items.reason()).contains("foreach 'event.payload.version' failed: yielded a string, not a list");
    }

    @Test
    void anInputThatFailsNamesTheInput() {
        CompiledSubscription subscription = Fixtures.compile(Fixtures.subscription()
                .setInputs(Map.of("env", "event.payload.env")).build());

        Evaluation<Map<String, String>> inputs = subscription.renderInputs(STABLE);

        assertThat(inputs.reason()).contains("input 'env' 'event.payload.env' failed");
    }

    @Test
    void askingForItemsWithoutForeachIsACallerBug() {
        CompiledSubscription subscription = Fixtures.compile(Fixtures.subscription().build());

        assertThatThrownBy(() -> subscription.items(STABLE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCompiledFormDoesNotChangeWhenTheCallerMutatesItsRecord() {
        // Given
        var record = Fixtures.subscription().build();
        CompiledSubscription subscription = Fixtures.compile(record);

        // When
        record.setArtifact("other:thing");

        // Then
        assertThat(subscription.artifact()).isEqualTo("lib-core:release");
    }
}
