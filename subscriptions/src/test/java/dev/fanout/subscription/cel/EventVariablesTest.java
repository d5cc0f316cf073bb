package dev.fanout.subscription.cel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.subscription.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventVariablesTest {

    @Test
    void theEventVariableHoldsTheDocumentedKeys() {
        // Given
        ArtifactEvent event = Fixtures.event().setHeaders(Map.of("traceparent", "00-abc")).build();

        // When
        Map<String, Object> variables = EventVariables.from(event).value().event();

        // Then
        assertThat(variables).containsOnlyKeys("artifact", "event_type", "schema_version", "payload", "source_repo", "headers");
        assertThat(variables).containsEntry("artifact", "lib-core:release")
                .containsEntry("source_repo", "lib-core")
                .containsEntry("headers", Map.of("traceparent", "00-abc"));
        assertThat(variables.get("payload")).isInstanceOf(Map.class);
    }

    @Test
    void absentHeadersAreAnEmptyMapSoFiltersNeedNoNullCheck() {
        Map<String, Object> variables = EventVariables.from(Fixtures.event().build()).value().event();

        assertThat(variables).containsEntry("headers", Map.of());
    }

    @Test
    void aPayloadThatIsNotJsonFailsWithTheParserMessage() {
        Evaluation<EventVariables> result = EventVariables.from(Fixtures.event().setPayload("{oops").build());

        assertThat(result.isOk()).isFalse();
        assertThat(result.reason()).startsWith("payload is not valid JSON: ").contains("at 1:");
    }
}
