package dev.fanout.subscription.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.subscription.CompiledSubscription;
import dev.fanout.subscription.Fixtures;
import dev.fanout.subscription.match.MatchResult.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchingTest {

    private final Matching matching = new Matching();
    private final CompiledSubscription stableOnly = Fixtures.compile(
            Fixtures.subscription().setFilter("event.payload.channel == 'stable'").build());

    private MatchResult match(ArtifactEvent.Builder event) {
        return matching.match(event.build(), stableOnly);
    }

    @Test
    void anEventPassingEveryRuleMatches() {
        MatchResult result = match(Fixtures.event());

        assertThat(result.isMatch()).isTrue();
        assertThat(result.outcome()).isEqualTo(Outcome.MATCHED);
    }

    @Test
    void anotherArtifactIsRejectedFirst() {
        MatchResult result = match(Fixtures.event().setArtifact("lib-other:release").setPayload("not json"));

        assertThat(result.outcome()).isEqualTo(Outcome.ARTIFACT_DIFFERS);
        assertThat(result.reason()).contains("'lib-other:release' is not 'lib-core:release'");
    }

    @Test
    void anUnlistedEventTypeIsRejected() {
        MatchResult result = match(Fixtures.event().setEventType("deprecated"));

        assertThat(result.outcome()).isEqualTo(Outcome.EVENT_TYPE_NOT_LISTED);
    }

    @Test
    void aSchemaVersionThatIsNotSemverIsItsOwnReason() {
        MatchResult result = match(Fixtures.event().setSchemaVersion("1.4"));

        assertThat(result.outcome()).isEqualTo(Outcome.SCHEMA_VERSION_NOT_SEMVER);
        assertThat(result.outcome().isBadEvent()).isTrue();
        assertThat(result.reason()).contains("'1.4' is not a semantic version");
    }

    @Test
    void aVersionOutsideTheRangeIsRejected() {
        MatchResult result = match(Fixtures.event().setSchemaVersion("2.0.0"));

        assertThat(result.outcome()).isEqualTo(Outcome.VERSION_OUT_OF_RANGE);
        assertThat(result.reason()).contains("'2.0.0' is outside the range '^1.2.0'");
    }

    @Test
    void aPayloadThatIsNotJsonIsItsOwnReason() {
        MatchResult result = match(Fixtures.event().setPayload("channel=stable"));

        assertThat(result.outcome()).isEqualTo(Outcome.PAYLOAD_NOT_JSON);
        assertThat(result.outcome().isBadEvent()).isTrue();
    }

    @Test
    void aFalseFilterIsRejected() {
        MatchResult result = match(Fixtures.event().setPayload("{\"channel\":\"beta\"}"));

        assertThat(result.outcome()).isEqualTo(Outcome.FILTER_FALSE);
    }

    @Test
    void aFilterThatCannotBeEvaluatedIsRejectedWithTheReason() {
        MatchResult result = match(Fixtures.event().setPayload("{\"version\":\"1.4.0\"}"));

        assertThat(result.outcome()).isEqualTo(Outcome.FILTER_FAILED);
        assertThat(result.reason()).contains("key 'channel' is not present");
    }

    @Test
    void aHandBuiltEventWithNullsIsRejectedNotThrown() {
        // Given a record built without the builder's checks
        ArtifactEvent event = new ArtifactEvent();
        event.setArtifact("lib-core:release");

        // When
        MatchResult result = matching.match(event, stableOnly);

        // Then
        assertThat(result.outcome()).isEqualTo(Outcome.EVENT_TYPE_NOT_LISTED);
    }

    @Test
    void aPreparedEventIsMatchedAgainstManySubscriptions() {
        // Given
        PreparedEvent event = PreparedEvent.prepare(Fixtures.event().build());
        CompiledSubscription betaOnly = Fixtures.compile(Fixtures.subscription()
                .setId("app-c/on-beta").setRepo("app-c").setFilter("event.payload.channel == 'beta'").build());

        // When
        List<Outcome> outcomes = List.of(matching.match(event, stableOnly).outcome(), matching.match(event, betaOnly).outcome());

        // Then
        assertThat(outcomes).containsExactly(Outcome.MATCHED, Outcome.FILTER_FALSE);
    }
}
