package dev.fanout.subscription.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.semver4j.Semver;

class VersionRangeTest {

    @ParameterizedTest(name = "''{0}'' accepts {1}: {2}")
    @CsvSource(delimiter = ';', value = {
            "^1.2.0; 1.2.0; true",
            "^1.2.0; 1.9.3; true",
            "^1.2.0; 2.0.0; false",
            "^1.2.0; 1.1.9; false",
            "^1.2.0; 1.3.0-rc.1; false",
            "^1.2.0-rc.0; 1.2.0-rc.1; true",
            "~1.4.0; 1.4.7; true",
            "~1.4.0; 1.5.0; false",
            ">=1.0.0 <2.0.0; 1.5.0; true",
            ">= 1.0.0 < 2.0.0; 2.0.0; false",
            "1.x; 1.9.9; true",
            "1.*; 2.0.0; false",
            "1; 1.9.0; true",
            "=1.2.3; 1.2.3; true",
            "^0.9.0; 0.10.0; false",
            "x; 7.0.0; true",
            "*; 0.0.1; true",
            "1.2.3 - 1.4.0; 1.4.0; true",
            "1.2.3; 1.2.4; false",
            "~1.2.3 || >=2.0.0 <3; 2.5.0; true",
            "~1.2.3 || >=2.0.0 <3; 1.5.0; false",
    })
    void aRangeAcceptsExactlyTheVersionsNpmWould(String range, String version, boolean accepted) throws Exception {
        // Given
        VersionRange parsed = VersionRange.parse(range);

        // When
        boolean satisfied = parsed.isSatisfiedBy(Semver.parse(version));

        // Then
        assertThat(satisfied).isEqualTo(accepted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"banana", "^1.2.0 || banana", "^1.2.0 banana", "1.2.3.4", "[1.0,2.0)", "latest", ">=abc"})
    void textThatIsNotNpmRangeSyntaxIsRefusedInsteadOfMatchingNothing(String range) {
        assertThatThrownBy(() -> VersionRange.parse(range))
                .isInstanceOf(InvalidVersionRangeException.class)
                .hasMessageContaining("'" + range + "'")
                .hasMessageContaining("npm range syntax");
    }

    @Test
    void anEmptyAlternativeIsRefusedBecauseNpmWouldReadItAsEveryVersion() {
        assertThatThrownBy(() -> VersionRange.parse("^1.2.0 ||"))
                .isInstanceOf(InvalidVersionRangeException.class)
                .hasMessageContaining("empty alternative");
    }

    @Test
    void aBlankRangeIsRefusedWithTheWildcardAsTheFix() {
        assertThatThrownBy(() -> VersionRange.parse("  "))
                .isInstanceOf(InvalidVersionRangeException.class)
                .hasMessageContaining("use '*'");
    }

    @Test
    void anOperatorBeforeAWildcardIsRefused() {
        assertThatThrownBy(() -> VersionRange.parse(">=x"))
                .isInstanceOf(InvalidVersionRangeException.class)
                .hasMessageContaining("operator before a wildcard");
    }

    @Test
    void theRangeKeepsItsTextAsWritten() throws Exception {
        assertThat(VersionRange.parse(">= 1.0.0").text()).isEqualTo(">= 1.0.0");
    }
}
