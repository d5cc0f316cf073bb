package dev.fanout.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsFromEnvironmentTest {

    @Test
    void pairsSeparatedByCommasAreSettings() {
        assertThat(Pipeline.parseSettings(" num.stream.threads=2, commit.interval.ms = 50 "))
                .isEqualTo(Map.of("num.stream.threads", "2", "commit.interval.ms", "50"));
    }

    @Test
    void nothingSetIsNoSettings() {
        assertThat(Pipeline.parseSettings(null)).isEmpty();
        assertThat(Pipeline.parseSettings("  ")).isEmpty();
    }

    @Test
    void aPairWithoutEqualsIsNamedWithTheFix() {
        assertThatThrownBy(() -> Pipeline.parseSettings("num.stream.threads=2,threads"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Pipeline.SETTINGS_ENV)
                .hasMessageContaining("'threads'")
                .hasMessageContaining("key=value");
    }
}
