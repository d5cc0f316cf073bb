package dev.fanout.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionIdTest {

    @ParameterizedTest(name = "\"{0}\" is version {1}")
    @CsvSource({"1, 1", "42, 42", "' 7 ', 7", "2147483647, 2147483647", "latest, -1", "LATEST, -1", "-1, -1"})
    void aPositiveNumberOrLatestIsAVersion(String text, int expected) {
        // When
        VersionId version = VersionId.parse(text);

        // Then
        assertThat(version.number()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"0", "-2", "abc", "1.5", "2147483648", "", "newest"})
    void anythingElseIsAnInvalidVersionError42202(String text) {
        assertThatThrownBy(() -> VersionId.parse(text))
                .isInstanceOfSatisfying(RegistryError.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42202);
                    assertThat(e.getMessage()).contains("'" + text + "'", "latest");
                });
    }
}
