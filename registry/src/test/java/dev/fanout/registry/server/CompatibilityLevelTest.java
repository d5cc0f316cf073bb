package dev.fanout.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CompatibilityLevelTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"BACKWARD, BACKWARD", "backward, BACKWARD", "Full_Transitive, FULL_TRANSITIVE", "' none ', NONE"})
    void levelsAreReadInAnyCase(String text, CompatibilityLevel expected) {
        assertThat(CompatibilityLevel.parse(text)).contains(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is no level")
    @ValueSource(strings = {"", "INVALID", "BACKWARDS", "full transitive"})
    void unknownNamesAreNoLevel(String text) {
        assertThat(CompatibilityLevel.parse(text)).isEmpty();
    }

    @Test
    void theDefaultIsBackwardAsInConfluent() {
        assertThat(CompatibilityLevel.DEFAULT).isEqualTo(CompatibilityLevel.BACKWARD);
    }
}
