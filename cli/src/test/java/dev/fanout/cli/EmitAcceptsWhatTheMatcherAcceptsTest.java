package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ArtifactEvent;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * For the same event, {@code fanout emit}'s check and the matcher agree: what emit refuses the pipeline
 * would dead-letter, and what emit accepts the pipeline takes on (here it finishes its tree, with no
 * subscriber). The matcher runs as in production, through the {@link FanoutDriver}.
 */
class EmitAcceptsWhatTheMatcherAcceptsTest {

    @TempDir
    Path stateDir;

    @ParameterizedTest(name = "schema_version ''{0}'', payload {1}")
    @CsvSource(delimiter = '|', value = {
            "1.2.0          | {}",
            "0.0.1          | {\"a\":[1,2]}",
            "1.2.3-rc.1     | {}",
            "1.2.3+build.5  | {}",
            "1.2.3-rc.1+b.7 | []",
            "v1.2.3         | {}",
            "1.2            | {}",
            "01.2.3         | {}",
            "1.2.3-         | {}",
            "' 1.2.3'       | {}",
            "latest         | {}",
            "1.2.0          | {\"version\": 1.2.0",
            "1.2.0          | not json",
            "1.2.0          | ''",
    })
    void emitRefusesExactlyWhatTheMatcherDeadLetters(String schemaVersion, String payload) {
        ArtifactEvent event = event("lib-core:release", schemaVersion, payload);

        Throwable refused = catchThrowable(() -> new EmitCommand().validate(event));
        boolean deadLettered = deadLettered(event);

        assertThat(refused == null)
                .as("emit accepted it (%s) and the matcher %s it", refused, deadLettered ? "dead-lettered" : "took")
                .isEqualTo(!deadLettered);
        if (refused != null) {
            assertThat(refused).isInstanceOf(CliException.class);
            assertThat(refused.getMessage()).containsAnyOf("--schema-version '" + schemaVersion + "'", "--payload");
        }
    }

    @ParameterizedTest(name = "artifact ''{0}''")
    @CsvSource({"lib-core:release", "acme/svc-a:image", "release", "a:b:c", ":release", "lib-core:"})
    void whatEmitAcceptsAsAnArtifactTheMatcherTakesOn(String artifact) {
        ArtifactEvent event = event(artifact, "1.0.0", "{}");

        Throwable refused = catchThrowable(() -> new EmitCommand().validate(event));

        if (refused == null) {
            assertThat(deadLettered(event)).as("the matcher dead-lettered what emit accepted").isFalse();
        } else {
            assertThat(refused.getMessage()).contains("--artifact '" + artifact + "' is not an artifact ref");
        }
    }

    private boolean deadLettered(ArtifactEvent event) {
        try (FanoutDriver driver = new FanoutDriver(stateDir.resolve(event.getEventId()))) {
            driver.emit(event);
            boolean dead = !driver.deadLetters().isEmpty();
            assertThat(driver.treeDone()).as("a tree is finished or its event dead-lettered").hasSize(dead ? 0 : 1);
            return dead;
        }
    }

    private static ArtifactEvent event(String artifact, String schemaVersion, String payload) {
        return ArtifactEvent.newBuilder()
                .setEventId("e-" + Integer.toHexString((artifact + schemaVersion + payload).hashCode()))
                .setArtifact(artifact)
                .setEventType("published")
                .setSchemaVersion(schemaVersion)
                .setPayload(payload)
                .setProducedAt(Instant.parse("2026-12-01T10:00:00Z"))
                .setSourceRepo("lib-core")
                .setHeaders(null)
                .build();
    }
}
