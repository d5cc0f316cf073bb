package dev.fanout.subscription.takofile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Subscription;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TakoFileParserTest {

    private static final String FILE = "app-b/tako.yml";

    /** A minimal valid entry; tests append keys to it (each appended key is on line 7). */
    private static final String MINIMAL = """
            subscriptions:
              - name: on-core-release
                artifact: lib-core:release
                events: [published]
                schema_version: "^1.2.0"
                workflow: rebuild
            """;

    private final TakoFileParser parser = TakoFileParser.withDefaults();

    private ParsedTakoFile parse(String yaml) {
        return parser.parse(yaml.getBytes(StandardCharsets.UTF_8), "app-b", FILE);
    }

    private static String onlyError(ParsedTakoFile parsed) {
        assertThat(parsed.errors()).hasSize(1);
        return parsed.errors().get(0).toString();
    }

    @Test
    void everyKeyIsReadIntoTheAvroRecord() {
        // Given
        String yaml = """
                subscriptions:
                  - name: on-core-release
                    artifact: lib-core:release        # repo:artifact
                    events: [published]
                    schema_version: "^1.2.0"
                    filter: event.payload.channel == "stable"
                    workflow: rebuild
                    inputs: { version: "event.payload.version", target: "item" }
                    foreach: event.payload.targets
                    retry: { max_attempts: 3, backoff_ms: 1000, backoff_multiplier: 2 }
                    timeout_ms: 600000
                    depends_on: { subscriptions: [svc-a/build], mode: ANY, condition: failed }
                    compensate_workflow: rollback
                    heartbeat_timeout_ms: 30000
                """;

        // When
        ParsedTakoFile parsed = parse(yaml);

        // Then
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.subscriptions()).containsExactly(Subscription.newBuilder()
                .setId("app-b/on-core-release")
                .setRepo("app-b")
                .setArtifact("lib-core:release")
                .setEvents(List.of("published"))
                .setSchemaVersion("^1.2.0")
                .setFilter("event.payload.channel == \"stable\"")
                .setWorkflow("rebuild")
                .setInputs(Map.of("version", "event.payload.version", "target", "item"))
                .setForeach("event.payload.targets")
                .setRetry(new RetryPolicy(3, 1000L, 2.0))
                .setTimeoutMs(600_000L)
                .setDependsOn(new DependsOn(List.of("svc-a/build"), DependencyMode.ANY, DependencyCondition.FAILED))
                .setCompensateWorkflow("rollback")
                .setHeartbeatTimeoutMs(30_000L)
                .build());
    }

    @Test
    void optionalKeysTakeTheirDefaults() {
        // When
        Subscription subscription = parse(MINIMAL + """
                    retry: { max_attempts: 2, backoff_ms: 500 }
                    depends_on: { subscriptions: [svc-a/build] }
                """).subscriptions().get(0);

        // Then
        assertThat(subscription.getInputs()).isEmpty();
        assertThat(subscription.getRetry().getBackoffMultiplier()).isEqualTo(1.0);
        assertThat(subscription.getDependsOn().getMode()).isEqualTo(DependencyMode.ALL);
        assertThat(subscription.getDependsOn().getCondition()).isEqualTo(DependencyCondition.SUCCEEDED);
        assertThat(subscription.getFilter()).isNull();
    }

    @ParameterizedTest(name = "condition: {0}")
    @CsvSource({"succeeded, SUCCEEDED", "SUCCEEDED, SUCCEEDED", "failed, FAILED", "FAILED, FAILED", "done, DONE",
            "DONE, DONE"})
    void aDependencyConditionIsReadInLowerOrUpperCase(String written, DependencyCondition expected) {
        ParsedTakoFile parsed = parse(MINIMAL + "    depends_on: { subscriptions: [svc-a/build], condition: " + written + " }\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.subscriptions().get(0).getDependsOn().getCondition()).isEqualTo(expected);
    }

    @Test
    void aDependencyModeIsReadInLowerCaseToo() {
        ParsedTakoFile parsed = parse(MINIMAL + "    depends_on: { subscriptions: [svc-a/build], mode: any }\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.subscriptions().get(0).getDependsOn().getMode()).isEqualTo(DependencyMode.ANY);
    }

    @Test
    void anUnknownDependencyConditionNamesTheSubscriptionTheValueAndTheAllowedOnes() {
        ParsedTakoFile parsed = parse(MINIMAL + """
                    depends_on:
                      subscriptions: [svc-a/build]
                      condition: succeded
                """);

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":9: subscription app-b/on-core-release: depends_on.condition "
                + "is 'succeded'; use one of succeeded, failed, done (upper or lower case)");
        assertThat(parsed.subscriptions()).isEmpty();
    }

    @Test
    void anUnknownDependencyModeNamesTheSubscriptionTheValueAndTheAllowedOnes() {
        ParsedTakoFile parsed = parse(MINIMAL + "    depends_on: { subscriptions: [svc-a/build], mode: EVERY }\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":7: subscription app-b/on-core-release: depends_on.mode "
                + "is 'EVERY'; use one of ALL, ANY (upper or lower case)");
    }

    @Test
    void aDependencyConditionThatIsNotTextIsReportedAsABindingError() {
        ParsedTakoFile parsed = parse(MINIMAL + "    depends_on: { subscriptions: [svc-a/build], condition: [done] }\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":7: subscriptions[0].depends_on.condition must be a string, not a list");
    }

    @Test
    void takosOwnTopLevelSectionsAreAcceptedWithoutBeingRead() {
        ParsedTakoFile parsed = parse("""
                version: 0.2.0
                artifacts: { lib: { path: ./go.mod } }
                workflows: { release: { steps: [ { run: make } ] } }
                """ + MINIMAL);

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.subscriptions()).hasSize(1);
    }

    @Test
    void aYamlSyntaxErrorIsReportedWithItsLine() {
        ParsedTakoFile parsed = parse(MINIMAL + "   broken: indentation\n");

        assertThat(onlyError(parsed)).startsWith(FILE + ":7: YAML syntax error: ");
        assertThat(parsed.subscriptions()).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsReportedWithItsLineAndBothTypes() {
        ParsedTakoFile parsed = parse(MINIMAL.replace("events: [published]", "events: published"));

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":4: subscriptions[0].events must be a list, not a string");
    }

    @Test
    void anUnquotedDecimalVersionIsRefusedBecauseYamlWouldTurn110Into11() {
        ParsedTakoFile parsed = parse(MINIMAL.replace("\"^1.2.0\"", "1.10"));

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":5: subscriptions[0].schema_version must be a string, "
                + "not a decimal number; quote the value");
    }

    @Test
    void anUnknownKeyIsReportedWithTheAllowedKeysAndTheLikelyIntent() {
        ParsedTakoFile parsed = parse(MINIMAL + "    filtre: event.payload.x == 1\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":7: unknown key 'filtre' in subscriptions[0] "
                + "(did you mean 'filter'?); allowed keys: " + String.join(", ", TakoFileParser.subscriptionKeys()));
    }

    @Test
    void anUnknownNestedKeyIsReportedWithTheNestedAllowedKeys() {
        ParsedTakoFile parsed = parse(MINIMAL + "    retry: { max_attempts: 3, backof_ms: 10 }\n");

        assertThat(onlyError(parsed)).contains("unknown key 'backof_ms' in subscriptions[0].retry")
                .endsWith("allowed keys: backoff_ms, backoff_multiplier, max_attempts");
    }

    @Test
    void anUnknownTopLevelKeyIsReported() {
        ParsedTakoFile parsed = parse("subscription: []\n");

        assertThat(onlyError(parsed)).startsWith(FILE + ":1: unknown key 'subscription' at the top level "
                + "(did you mean 'subscriptions'?)");
    }

    @Test
    void anAliasBombIsRefusedAtItsFirstAlias() {
        // Given the "billion laughs": nine levels of nine aliases each
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            String previous = "*" + (char) (level - 1);
            bomb.append(level).append(": &").append(level).append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, previous))).append("]\n");
        }

        // When
        ParsedTakoFile parsed = parse(bomb.toString());

        // Then
        assertThat(onlyError(parsed)).isEqualTo(FILE + ":2: YAML alias '*a' is not supported in tako.yml; "
                + "write the value out instead of referring to an anchor");
    }

    @Test
    void aSingleAliasIsRefusedBecauseJacksonWouldReadItAsTheAnchorName() {
        ParsedTakoFile parsed = parse(MINIMAL.replace("events: [published]", "events: &e [published]")
                + "  - name: second\n    artifact: lib-core:release\n    events: *e\n"
                + "    schema_version: '*'\n    workflow: rebuild\n");

        assertThat(onlyError(parsed)).startsWith(FILE + ":9: YAML alias '*e'");
    }

    @Test
    void deeplyNestedYamlIsRefused() {
        ParsedTakoFile parsed = parse("workflows: " + "[".repeat(100) + "]".repeat(100) + "\n");

        assertThat(onlyError(parsed)).contains("nested more than 32 levels deep");
    }

    @Test
    void aFileOverTheSizeCapIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
        // Given a sparse 10 MB file: its size is known without writing (or reading) its bytes
        Path file = dir.resolve("tako.yml");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(10L * 1024 * 1024);
        }

        // When
        ParsedTakoFile parsed = parser.parse(file, "app-b", FILE);

        // Then
        assertThat(onlyError(parsed)).isEqualTo(FILE + ": file is 10485760 bytes, more than the limit of 1048576 bytes; "
                + "a tako.yml should be small (raise the limit only if this file is genuine)");
    }

    @Test
    void theSizeCapIsConfigurable() {
        TakoFileParser small = new TakoFileParser(TakoFileLimits.DEFAULTS.withMaxFileBytes(64),
                dev.fanout.subscription.SubscriptionValidator.withDefaults());

        ParsedTakoFile parsed = small.parse(MINIMAL.getBytes(StandardCharsets.UTF_8), "app-b", FILE);

        assertThat(onlyError(parsed)).contains("more than the limit of 64 bytes");
    }

    @Test
    void aDuplicateKeyIsReported() {
        ParsedTakoFile parsed = parse(MINIMAL + "    workflow: deploy\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":7: key 'workflow' appears twice in the same mapping; keep one");
    }

    @Test
    void aMissingRequiredKeyIsNamedAtTheLineOfItsEntry() {
        ParsedTakoFile parsed = parse(MINIMAL.replace("    workflow: rebuild\n", ""));

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":2: subscription app-b/on-core-release: missing required key 'workflow'");
    }

    @Test
    void aDuplicateNameInOneRepositoryIsReportedAndOnlyTheFirstIsKept() {
        ParsedTakoFile parsed = parse(MINIMAL + MINIMAL.substring(MINIMAL.indexOf('\n') + 1));

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":7: subscription app-b/on-core-release: name 'on-core-release' "
                + "is already used at line 2; names must be unique within a repository");
        assertThat(parsed.subscriptions()).hasSize(1);
    }

    @Test
    void aFilterThatDoesNotCompileIsReportedAtTheFilterLine() {
        ParsedTakoFile parsed = parse(MINIMAL + "    filter: event.payload.env ==\n");

        assertThat(onlyError(parsed)).startsWith(FILE + ":7: subscription app-b/on-core-release: "
                + "filter 'event.payload.env ==' does not compile: mismatched input '<EOF>'");
    }

    @Test
    void aNonBooleanFilterIsReported() {
        ParsedTakoFile parsed = parse(MINIMAL + "    filter: event.payload.channel\n");

        assertThat(onlyError(parsed)).contains("filter 'event.payload.channel' has type dyn, but a filter must be a bool");
    }

    @Test
    void aBadRangeIsReportedAtItsLineWithTheValue() {
        ParsedTakoFile parsed = parse(MINIMAL.replace("\"^1.2.0\"", "\"version one\""));

        assertThat(onlyError(parsed)).startsWith(FILE + ":5: subscription app-b/on-core-release: "
                + "schema_version 'version one' is not a valid version range");
    }

    @Test
    void aProblemInANestedKeyPointsAtThatKeysLine() {
        ParsedTakoFile parsed = parse(MINIMAL + """
                    retry:
                      max_attempts: 0
                      backoff_ms: 10
                """);

        assertThat(onlyError(parsed)).startsWith(FILE + ":8: subscription app-b/on-core-release: retry.max_attempts is 0");
    }

    @Test
    void aSecondYamlDocumentIsRefused() {
        ParsedTakoFile parsed = parse(MINIMAL + "---\nsubscriptions: []\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":8: a second YAML document starts here; a tako.yml holds exactly one");
    }

    @Test
    void anInvalidEntryDoesNotHideTheValidOnes() {
        ParsedTakoFile parsed = parse(MINIMAL + """
                  - name: broken
                    artifact: lib-core
                    events: [published]
                    schema_version: '*'
                    workflow: rebuild
                  - name: fine
                    artifact: lib-core:release
                    events: [published]
                    schema_version: '*'
                    workflow: rebuild
                """);

        assertThat(parsed.subscriptions()).extracting(Subscription::getId)
                .containsExactly("app-b/on-core-release", "app-b/fine");
        assertThat(onlyError(parsed)).startsWith(FILE + ":8: subscription app-b/broken: artifact 'lib-core'");
    }

    @Test
    void anEmptyFileDeclaresNothing() {
        ParsedTakoFile parsed = parse("# no subscriptions yet\n");

        assertThat(parsed.subscriptions()).isEmpty();
        assertThat(parsed.errors()).isEmpty();
    }

    @Test
    void anEmptyEntryIsReported() {
        ParsedTakoFile parsed = parse("subscriptions:\n  -\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":2: subscriptions[0] must be a mapping with name, artifact, "
                + "events, schema_version and workflow, not an empty entry");
    }

    @Test
    void aSymbolicLinkIsNotFollowed(@TempDir Path dir) throws IOException {
        // Given
        Path target = Files.writeString(dir.resolve("real.yml"), MINIMAL);
        Path link = Files.createSymbolicLink(dir.resolve("tako.yml"), target);

        // When
        ParsedTakoFile parsed = parser.parse(link, "app-b", FILE);

        // Then
        assertThat(onlyError(parsed)).contains("is a symbolic link, which is not followed");
    }

    @Test
    void anInvalidRepositoryNameIsReported() {
        ParsedTakoFile parsed = parser.parse(MINIMAL.getBytes(StandardCharsets.UTF_8), "my repo", "my repo/tako.yml");

        assertThat(onlyError(parsed)).isEqualTo("my repo/tako.yml: repository name 'my repo' is not valid; "
                + "use folder names of " + dev.fanout.subscription.SubscriptionNames.NAME_RULE);
    }
}
