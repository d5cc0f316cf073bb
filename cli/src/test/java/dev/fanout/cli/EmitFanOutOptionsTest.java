package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.OnFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The fan-out options of {@code fanout emit}, from flags and from a --file, as the event carries them. */
class EmitFanOutOptionsTest {

    @TempDir
    Path dir;

    /** The event {@code fanout emit} would publish for these arguments; nothing is published. */
    private static ArtifactEvent eventOf(String... args) {
        EmitCommand command = new EmitCommand();
        new CommandLine(command).parseArgs(args);
        return command.event();
    }

    private static String[] flags(String... fanOut) {
        List<String> args = new ArrayList<>(List.of("--artifact", "lib-core:release", "--event-type", "published",
                "--schema-version", "1.2.0"));
        args.addAll(List.of(fanOut));
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "--on-failure {0}")
    @CsvSource({"fail_fast, FAIL_FAST", "FAIL_FAST, FAIL_FAST", "continue, CONTINUE", "CONTINUE, CONTINUE"})
    void onFailureSetsTheFanOutsFailurePolicy(String written, OnFailure expected) {
        ArtifactEvent event = eventOf(flags("--on-failure", written));

        assertThat(event.getFanOut()).isEqualTo(new FanOutOptions(true, null, null, null, expected));
    }

    @Test
    void onFailureGoesWithTheOtherFanOutOptions() {
        ArtifactEvent event = eventOf(flags("--tolerated-failures", "1", "--concurrency-limit", "2",
                "--on-failure", "fail_fast"));

        assertThat(event.getFanOut()).isEqualTo(new FanOutOptions(true, null, 2, 1, OnFailure.FAIL_FAST));
    }

    @Test
    void withoutOnFailureTheFanOutContinues() {
        ArtifactEvent event = eventOf(flags("--tolerated-failures", "1"));

        assertThat(event.getFanOut().getOnFailure()).isEqualTo(OnFailure.CONTINUE);
    }

    @Test
    void withoutFanOutFlagsTheEventHasNoFanOutOptions() {
        assertThat(eventOf(flags()).getFanOut()).isNull();
    }

    @ParameterizedTest(name = "\"on_failure\": \"{0}\"")
    @CsvSource({"fail_fast, FAIL_FAST", "FAIL_FAST, FAIL_FAST", "continue, CONTINUE"})
    void aFileGivesOnFailureInItsFanOutField(String written, OnFailure expected) throws Exception {
        Path file = Files.writeString(dir.resolve("event.json"), """
                {"artifact": "lib-core:release", "event_type": "published", "schema_version": "1.2.0",
                 "payload": {}, "fan_out": {"tolerated_failures": 1, "on_failure": "%s"}}
                """.formatted(written));

        ArtifactEvent event = eventOf("--file", file.toString());

        assertThat(event.getFanOut()).isEqualTo(new FanOutOptions(true, null, null, 1, expected));
    }

    @Test
    void aFileWithoutOnFailureContinues() throws Exception {
        Path file = Files.writeString(dir.resolve("event.json"), """
                {"artifact": "lib-core:release", "event_type": "published", "schema_version": "1.2.0",
                 "payload": {}, "fan_out": {"concurrency_limit": 3}}
                """);

        assertThat(eventOf("--file", file.toString()).getFanOut().getOnFailure()).isEqualTo(OnFailure.CONTINUE);
    }
}
