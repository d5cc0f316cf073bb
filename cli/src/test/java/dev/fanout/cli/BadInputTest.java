package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input is refused before anything is published, with a message that names the option, the
 * value and the fix. Nothing here needs a broker: the checks run first.
 */
class BadInputTest {

    @TempDir
    Path dir;

    private static final String[] VALID = {"emit", "--artifact", "lib-core:release", "--event-type", "published",
            "--schema-version", "1.2.0"};

    private static String[] with(String... more) {
        String[] args = new String[VALID.length + more.length];
        System.arraycopy(VALID, 0, args, 0, VALID.length);
        System.arraycopy(more, 0, args, VALID.length, more.length);
        return args;
    }

    @Test
    void emitRefusesAPayloadThatIsNotJson() {
        CliRun run = CliRun.of(with("--payload", "{\"version\": 1.2.0"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--payload is not valid JSON").contains("line 1").contains("quote it");
    }

    @Test
    void emitRefusesAnUnknownFlagWithUsage() {
        CliRun run = CliRun.of(with("--colour", "blue"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown options: '--colour'").contains("Possible solutions: --config, --concurrency-limit");
    }

    @Test
    void emitRefusesAnArtifactWithoutARepo() {
        CliRun run = CliRun.of("emit", "--artifact", "release", "--event-type", "published", "--schema-version", "1.0.0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("artifact 'release' is not an artifact ref").contains("repo:artifact");
    }

    @Test
    void emitRefusesASchemaVersionThatIsNotSemver() {
        CliRun run = CliRun.of("emit", "--artifact", "lib-core:release", "--event-type", "published",
                "--schema-version", "1.2");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--schema-version '1.2' is not a semantic version").contains("MAJOR.MINOR.PATCH");
    }

    @Test
    void emitRefusesAVersionWithALeadingV() {
        CliRun run = CliRun.of("emit", "--artifact", "lib-core:release", "--event-type", "published",
                "--schema-version", "v1.2.3");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--schema-version 'v1.2.3' is not a semantic version").contains("no leading 'v'");
    }

    @Test
    void emitFileNamesTheFieldOfABadVersion() throws Exception {
        Path file = dir.resolve("event.json");
        Files.writeString(file, "{\"artifact\":\"lib-core:release\",\"event_type\":\"published\","
                + "\"schema_version\":\"v1.2.3\",\"payload\":{}}");

        CliRun run = CliRun.of("emit", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--file " + file + " field schema_version 'v1.2.3' is not a semantic version");
    }

    @Test
    void emitNamesTheMissingRequiredFlag() {
        CliRun run = CliRun.of("emit", "--artifact", "lib-core:release", "--schema-version", "1.0.0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("missing --event-type");
    }

    @Test
    void emitRefusesAHalfGivenParent() {
        CliRun run = CliRun.of(with("--parent-tree", "t1"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--parent-tree and --parent-run go together");
    }

    @Test
    void emitRefusesAHeaderWithoutEquals() {
        CliRun run = CliRun.of(with("--header", "traceparent"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--header 'traceparent' is not KEY=VALUE");
    }

    @Test
    void emitRefusesANonPositiveConcurrencyLimit() {
        CliRun run = CliRun.of(with("--concurrency-limit", "0"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--concurrency-limit 0 must be positive");
    }

    @Test
    void emitRefusesAnUnknownFailurePolicyAndNamesTheValidOnes() {
        CliRun run = CliRun.of(with("--on-failure", "abort"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--on-failure 'abort' is not a failure policy: use continue or fail_fast");
    }

    @Test
    void emitFileNamesTheFieldOfAnUnknownFailurePolicy() throws Exception {
        Path file = dir.resolve("event.json");
        Files.writeString(file, "{\"artifact\":\"lib-core:release\",\"event_type\":\"published\","
                + "\"schema_version\":\"1.2.0\",\"payload\":{},\"fan_out\":{\"on_failure\":\"fail-fast\"}}");

        CliRun run = CliRun.of("emit", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--file " + file + " field fan_out.on_failure 'fail-fast' is not a failure "
                + "policy: use continue or fail_fast");
    }

    @Test
    void emitFileRefusesFanOutFlagsBesideIt() throws Exception {
        Path file = dir.resolve("event.json");
        Files.writeString(file, "{\"artifact\":\"lib-core:release\",\"event_type\":\"published\","
                + "\"schema_version\":\"1.2.0\",\"payload\":{}}");

        CliRun run = CliRun.of("emit", "--file", file.toString(), "--on-failure", "fail_fast");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--file holds the whole event, fan-out options too")
                .contains("\"fan_out\": {\"on_failure\": \"fail_fast\"}");
    }

    @Test
    void emitFileWithAnUnknownFieldNamesItAndTheAllowedOnes() throws Exception {
        Path file = dir.resolve("event.json");
        Files.writeString(file, "{\"artifact\": \"lib-core:release\", \"event_type\": \"published\", "
                + "\"schema_version\": \"1.0.0\", \"payload\": {}, \"colour\": \"blue\"}");

        CliRun run = CliRun.of("emit", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown field [colour]").contains("allowed: event_id, artifact");
    }

    @Test
    void emitFileThatIsNotJsonSaysWhere() throws Exception {
        Path file = dir.resolve("event.json");
        Files.writeString(file, "{\"artifact\": \n");

        CliRun run = CliRun.of("emit", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is not valid JSON").contains("line 2");
    }

    @Test
    void emitFileMissingARequiredFieldNamesIt() throws Exception {
        Path file = dir.resolve("event.json");
        Files.writeString(file, "{\"artifact\": \"lib-core:release\", \"schema_version\": \"1.0.0\", \"payload\": {}}");

        CliRun run = CliRun.of("emit", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("$.event_type: required field of ArtifactEvent is missing");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        CliRun run = CliRun.of(with("--config", dir.resolve("nope.properties").toString()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--config").contains("nope.properties: no such file");
    }

    @Test
    void anInvalidTopicPrefixInTheConfigFileIsNamed() throws Exception {
        Path conf = dir.resolve("client.properties");
        Files.writeString(conf, "fanout.topic.prefix=bad prefix!\n");

        CliRun run = CliRun.of("consume", "tree-done", "--config", conf.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("fanout.topic.prefix").contains("bad prefix!");
    }

    @Test
    void consumeRefusesATopicThatIsNotPartOfTheContract() {
        CliRun run = CliRun.of("consume", "payments");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("'payments' is not a topic of this Fanout installation")
                .contains("fanout.tree-done");
    }

    @Test
    void topicsCreateRefusesZeroPartitions() {
        CliRun run = CliRun.of("topics", "create", "--partitions", "0", "--bootstrap-server", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("partitions 0 must be at least 1");
    }
}
