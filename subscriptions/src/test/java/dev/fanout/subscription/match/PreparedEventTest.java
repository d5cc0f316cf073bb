package dev.fanout.subscription.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.subscription.Fixtures;
import dev.fanout.subscription.match.MatchResult.Outcome;
import org.junit.jupiter.api.Test;

class PreparedEventTest {

    @Test
    void aWellFormedEventHasNoProblem() {
        PreparedEvent event = PreparedEvent.prepare(Fixtures.event().build());

        assertThat(event.problem()).isEmpty();
        assertThat(event.version()).isPresent();
        assertThat(event.variables()).isPresent();
    }

    @Test
    void anEventWhosePayloadIsNotJsonCarriesThatProblemForTheDeadLetterTopic() {
        PreparedEvent event = PreparedEvent.prepare(Fixtures.event().setPayload("[1,").build());

        assertThat(event.problem()).get().extracting(MatchResult::outcome).isEqualTo(Outcome.PAYLOAD_NOT_JSON);
    }

    @Test
    void anEventWithAVPrefixedVersionIsNotSemver() {
        PreparedEvent event = PreparedEvent.prepare(Fixtures.event().setSchemaVersion("v1.2.0").build());

        assertThat(event.problem()).get().extracting(MatchResult::outcome).isEqualTo(Outcome.SCHEMA_VERSION_NOT_SEMVER);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1.2.0", "1.2.0-rc.1", "1.2.0+build.5", "0.0.0-alpha-1"})
    void strictSemanticVersionsAreAccepted(String version) {
        PreparedEvent event = PreparedEvent.prepare(Fixtures.event().setSchemaVersion(version).build());

        assertThat(event.problem()).isEmpty();
    }
}
