package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code fanout bench} is reachable from the top-level command; the bench module tests the rest. */
class BenchCommandRegistrationTest {

    @Test
    void anUnknownScenarioIsAUsageErrorNamingTheKnownOnes() {
        CliRun run = CliRun.of("bench", "no-such-scenario");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown scenario 'no-such-scenario'; known scenarios: ceiling");
    }
}
