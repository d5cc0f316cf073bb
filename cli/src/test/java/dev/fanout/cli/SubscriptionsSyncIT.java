package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.avro.RepoLimits;
import dev.fanout.local.DevStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout subscriptions} against a real KRaft broker and the embedded Schema Registry. Each test
 * gets its own stack, so what one publishes cannot leak into another's counts; the stacks run no topology,
 * which {@code fanout subscriptions} does not need.
 */
class SubscriptionsSyncIT {

    private static final Path EXAMPLES = Path.of("..", "examples", "repos");
    private static final Path DOC = Path.of("..", "docs", "subscriptions.md");
    private static final List<String> EXAMPLE_IDS = List.of("acme/deployer/deploy-image", "docs-site/publish-docs",
            "legacy-app/on-core-release", "qa-suite/smoke-after-deploy", "svc-a/on-core-release",
            "svc-a/on-smoke-report", "svc-b/on-core-beta");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String GOOD_TAKO_YML = """
            subscriptions:
              - name: build
                artifact: lib-core:release
                events: [published]
                schema_version: "^1.0.0"
                workflow: build
            """;

    @TempDir
    Path temp;

    private DevStack stack;
    private TopicProbe topic;

    @BeforeEach
    void startStack() {
        stack = DevStack.start(new DevStack.Options(temp.resolve("stack"), "127.0.0.1", 0, 0, 2).withoutTopology());
        topic = new TopicProbe(stack.bootstrapServers(), "fanout.subscriptions");
    }

    @AfterEach
    void stopStack() {
        stack.close();
    }

    @Test
    void syncingTheExampleRepositoriesPublishesEveryValidSubscription() {
        // When
        CliRun run = cli("subscriptions", "sync", "--repos", EXAMPLES.toString());

        // Then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Syncing 7 repositories under " + EXAMPLES)
                .contains("Published: 7 added, 0 changed, 0 removed, 0 unchanged, 0 retained, 0 invalid");
        assertThat(run.out().lines().filter(l -> l.startsWith("added ")).map(l -> l.substring(11)))
                .containsExactlyElementsOf(EXAMPLE_IDS);
        assertThat(topic.entries()).extracting(TopicProbe.Entry::key).containsExactlyInAnyOrderElementsOf(EXAMPLE_IDS);
        assertThat(topic.entries()).noneMatch(TopicProbe.Entry::tombstone);
    }

    @Test
    void theSummaryInTheDocsIsWhatSyncPrints() throws IOException {
        // Given the block that follows the marker in docs/subscriptions.md
        String doc = Files.readString(DOC);
        String marker = "<!-- output of: ./fanout subscriptions sync --repos examples/repos -->\n```text\n";
        int start = doc.indexOf(marker);
        assertThat(start).as("marker in %s", DOC).isNotNegative();
        String documented = doc.substring(start + marker.length(), doc.indexOf("```", start + marker.length()));

        // When
        CliRun run = cli("subscriptions", "sync", "--repos", EXAMPLES.toString());

        // Then
        assertThat(run.out().replace(EXAMPLES.toString(), "examples/repos"))
                .as("%s is out of date: replace the block after the marker with the output of the command", DOC)
                .isEqualTo(documented);
    }

    @Test
    void aSecondSyncFindsEverythingUnchangedAndPublishesNothing() {
        // Given
        assertThat(cli("subscriptions", "sync", "--repos", EXAMPLES.toString()).exitCode()).isZero();
        long endBefore = topic.endOffset();

        // When
        CliRun again = cli("subscriptions", "sync", "--repos", EXAMPLES.toString());

        // Then
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("Published: 0 added, 0 changed, 0 removed, 7 unchanged, 0 retained, 0 invalid");
        assertThat(topic.endOffset()).isEqualTo(endBefore);
    }

    @Test
    void anEditedTakoFileChangesOneSubscriptionAndTombstonesTheOneItNoLongerDeclares() throws IOException {
        // Given the examples, synced
        Path repos = copyOfExamples();
        assertThat(cli("subscriptions", "sync", "--repos", repos.toString()).exitCode()).isZero();

        // When svc-a changes a filter and drops on-smoke-report
        Path svcA = repos.resolve("svc-a/tako.yml");
        String edited = Files.readString(svcA).replace("event.payload.channel == \"stable\"", "event.payload.channel == \"lts\"");
        Files.writeString(svcA, edited.substring(0, edited.indexOf("  # The cycle")));
        CliRun run = cli("subscriptions", "sync", "--repos", repos.toString());

        // Then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("changed    svc-a/on-core-release (filter)")
                .contains("removed    svc-a/on-smoke-report")
                .contains("Published: 0 added, 1 changed, 1 removed, 5 unchanged, 0 retained, 0 invalid");
        assertThat(topic.entries()).contains(new TopicProbe.Entry("svc-a/on-smoke-report", true));
        assertThat(listIds()).doesNotContain("svc-a/on-smoke-report").contains("svc-a/on-core-release");
    }

    @Test
    void aBrokenTakoFileIsReportedWithItsLineWhileTheGoodOnesArePublished() throws IOException {
        // Given
        Path repos = temp.resolve("repos");
        writeTakoFile(repos.resolve("svc-ok"), GOOD_TAKO_YML);
        writeTakoFile(repos.resolve("svc-bad"), "subscriptions: [\n");
        writeTakoFile(repos.resolve("svc-fine"), GOOD_TAKO_YML);

        // When
        CliRun run = cli("subscriptions", "sync", "--repos", repos.toString());

        // Then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("invalid    svc-bad/tako.yml:2: YAML syntax error")
                .contains("Published: 2 added, 0 changed, 0 removed, 0 unchanged, 0 retained, 1 invalid");
        assertThat(run.err()).contains("1 problem(s) in tako.yml files").contains("the valid subscriptions were published");
        assertThat(topic.entries()).extracting(TopicProbe.Entry::key).containsExactlyInAnyOrder("svc-ok/build", "svc-fine/build");
    }

    @Test
    void aRepositoryWhoseTakoFileBreaksKeepsItsSubscriptionsOnTheTopic() throws IOException {
        // Given
        Path repos = copyOfExamples();
        assertThat(cli("subscriptions", "sync", "--repos", repos.toString()).exitCode()).isZero();

        // When
        Files.writeString(repos.resolve("svc-a/tako.yml"), "subscriptions: [\n");
        CliRun run = cli("subscriptions", "sync", "--repos", repos.toString());

        // Then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("retained   svc-a/on-core-release: not found, but svc-a was not read completely")
                .contains("Published: 0 added, 0 changed, 0 removed, 5 unchanged, 2 retained, 1 invalid");
        assertThat(topic.entries()).noneMatch(TopicProbe.Entry::tombstone);
    }

    @Test
    void aDryRunPrintsThePlanAndPublishesNothing() {
        // When
        CliRun run = cli("subscriptions", "sync", "--repos", EXAMPLES.toString(), "--dry-run");

        // Then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Planning a sync of 7 repositories").contains("added      svc-b/on-core-beta")
                .contains("Dry run, nothing published: 7 added, 0 changed");
        assertThat(topic.endOffset()).isZero();
    }

    @Test
    void aRepositoryThatIsGoneKeepsItsSubscriptionsUnlessTheWholeRootIsPruned() throws IOException {
        // Given the examples, synced, and then svc-b deleted from the folder
        Path repos = copyOfExamples();
        assertThat(cli("subscriptions", "sync", "--repos", repos.toString()).exitCode()).isZero();
        deleteTree(repos.resolve("svc-b"));

        // When synced with the default scope, and then with whole-root
        CliRun scanned = cli("subscriptions", "sync", "--repos", repos.toString());
        CliRun whole = cli("subscriptions", "sync", "--repos", repos.toString(), "--prune=whole-root");

        // Then
        assertThat(scanned.out()).contains("(prune: scanned-repos)").contains("0 removed, 6 unchanged");
        assertThat(whole.out()).contains("(prune: whole-root)").contains("removed    svc-b/on-core-beta")
                .contains("1 removed, 6 unchanged");
        assertThat(topic.entries()).contains(new TopicProbe.Entry("svc-b/on-core-beta", true));
    }

    @Test
    void listShowsWhatSyncPublished() throws IOException {
        // Given
        assertThat(cli("subscriptions", "sync", "--repos", EXAMPLES.toString()).exitCode()).isZero();

        // When
        CliRun table = cli("subscriptions", "list");
        CliRun json = cli("subscriptions", "list", "--json", "--repo", "svc-a");

        // Then
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("ARTIFACT", "WORKFLOW", "FILTER");
        assertThat(table.out().lines().skip(1).map(l -> l.split(" ")[0])).containsExactlyElementsOf(EXAMPLE_IDS);
        assertThat(table.out()).contains("acme/deployer/deploy-image   svc-a:image");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : json.out().lines().toList()) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(n -> n.get("id").asText()).containsExactly("svc-a/on-core-release", "svc-a/on-smoke-report");
        assertThat(lines.get(0).get("filter").asText()).isEqualTo("event.payload.channel == \"stable\"");
        assertThat(lines.get(0).get("retry").get("max_attempts").asInt()).isEqualTo(3);
    }

    @Test
    void putPublishesTheValidSubscriptionsOfOneFileAndReportsTheInvalidOnes() throws IOException {
        // Given a tako.yml with one good and one bad subscription
        Path file = temp.resolve("tako.yml");
        Files.writeString(file, GOOD_TAKO_YML + """
                  - name: broken
                    artifact: lib-core
                    events: [published]
                    schema_version: "^1.0.0"
                    workflow: build
                """);

        // When
        CliRun run = cli("subscriptions", "put", "--file", file.toString(), "--repo", "acme/svc-c");

        // Then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("added      acme/svc-c/build")
                .contains("invalid    " + file + ":8: subscription acme/svc-c/broken: artifact 'lib-core' is not an artifact ref")
                .contains("Published: 1 added, 0 changed, 0 removed, 0 unchanged, 0 retained, 1 invalid");
        assertThat(listIds()).containsExactly("acme/svc-c/build");
    }

    @Test
    void putLeavesTheRepositorysOtherSubscriptionsAlone() throws IOException {
        // Given svc-a's two subscriptions on the topic
        assertThat(cli("subscriptions", "sync", "--repos", EXAMPLES.toString()).exitCode()).isZero();
        Path file = temp.resolve("tako.yml");
        Files.writeString(file, GOOD_TAKO_YML);

        // When a file with only svc-a/build is put
        CliRun run = cli("subscriptions", "put", "--file", file.toString(), "--repo", "svc-a");

        // Then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Published: 1 added, 0 changed, 0 removed, 0 unchanged");
        assertThat(listIds()).contains("svc-a/build", "svc-a/on-core-release", "svc-a/on-smoke-report");
    }

    @Test
    void deleteTombstonesAKnownIdAndReportsAnUnknownOne() {
        // Given
        assertThat(cli("subscriptions", "sync", "--repos", EXAMPLES.toString()).exitCode()).isZero();

        // When
        CliRun run = cli("subscriptions", "delete", "svc-b/on-core-beta", "svc-b/on-core-betta");

        // Then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("removed    svc-b/on-core-beta").contains("Deleted 1 subscription(s)");
        assertThat(run.err()).contains("svc-b/on-core-betta is not on fanout.subscriptions")
                .contains("./fanout subscriptions list");
        assertThat(topic.entries()).containsOnlyOnce(new TopicProbe.Entry("svc-b/on-core-beta", true))
                .doesNotContain(new TopicProbe.Entry("svc-b/on-core-betta", true));
        assertThat(listIds()).doesNotContain("svc-b/on-core-beta").hasSize(6);
    }

    @Test
    void aRepositorysLimitsArePublishedByRepositoryChangedAndTombstonedWhenTheFileDropsThem() throws IOException {
        // Given a repository that declares a limit, and one that does not
        Path repos = temp.resolve("repos");
        writeTakoFile(repos.resolve("acme/deployer"), GOOD_TAKO_YML + "limits: {max_in_flight: 3}\n");
        writeTakoFile(repos.resolve("svc-ok"), GOOD_TAKO_YML);
        TopicProbe limits = new TopicProbe(stack.bootstrapServers(), "fanout.repo-limits");

        // When
        CliRun first = cli("subscriptions", "sync", "--repos", repos.toString());

        // Then
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("limit      acme/deployer: max_in_flight 3")
                .contains("Limits published to fanout.repo-limits: 1 set, 0 removed, 0 unchanged, 0 retained");
        assertThat(maxInFlight(limits)).containsExactly(Map.entry("acme/deployer", 3));

        // When the limit is lowered
        writeTakoFile(repos.resolve("acme/deployer"), GOOD_TAKO_YML + "limits: {max_in_flight: 1}\n");
        CliRun lowered = cli("subscriptions", "sync", "--repos", repos.toString());

        // Then
        assertThat(lowered.out()).contains("limit      acme/deployer: max_in_flight 1");
        assertThat(maxInFlight(limits)).containsExactly(Map.entry("acme/deployer", 1));

        // When the file is broken, the limit stays; when it drops the limit, the key is tombstoned
        writeTakoFile(repos.resolve("acme/deployer"), GOOD_TAKO_YML + "limits: {max_in_flight: 0}\n");
        CliRun broken = cli("subscriptions", "sync", "--repos", repos.toString());
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.out()).contains("invalid    acme/deployer/tako.yml:7: limits.max_in_flight 0 is not a valid limit")
                .contains("retained   acme/deployer: limits not found");
        assertThat(maxInFlight(limits)).containsExactly(Map.entry("acme/deployer", 1));

        writeTakoFile(repos.resolve("acme/deployer"), GOOD_TAKO_YML);
        CliRun dropped = cli("subscriptions", "sync", "--repos", repos.toString());
        assertThat(dropped.exitCode()).as(dropped.err()).isZero();
        assertThat(dropped.out()).contains("unlimited  acme/deployer: its tako.yml declares no limits any more");
        assertThat(limits.entries()).last().isEqualTo(new TopicProbe.Entry("acme/deployer", true));
        assertThat(maxInFlight(limits)).isEmpty();
    }

    @Test
    void putPublishesTheFilesLimitsAndRemovesNone() throws IOException {
        // Given limits of another repository on the topic
        Path repos = temp.resolve("repos");
        writeTakoFile(repos.resolve("docs-site"), GOOD_TAKO_YML + "limits: {max_in_flight: 5}\n");
        assertThat(cli("subscriptions", "sync", "--repos", repos.toString()).exitCode()).isZero();
        Path file = temp.resolve("deployer.yml");
        Files.writeString(file, GOOD_TAKO_YML + "limits: {max_in_flight: 2}\n");
        TopicProbe limits = new TopicProbe(stack.bootstrapServers(), "fanout.repo-limits");

        // When
        CliRun run = cli("subscriptions", "put", "--file", file.toString(), "--repo", "acme/deployer");

        // Then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("limit      acme/deployer: max_in_flight 2")
                .contains("Limits published to fanout.repo-limits: 1 set, 0 removed, 0 unchanged, 0 retained");
        assertThat(maxInFlight(limits)).containsExactly(Map.entry("acme/deployer", 2), Map.entry("docs-site", 5));
    }

    /** The repo-limits topic decoded by hand from the wire format (magic byte, schema id, Avro binary). */
    private static Map<String, Integer> maxInFlight(TopicProbe limits) {
        Map<String, Integer> byRepo = new java.util.TreeMap<>();
        limits.latestValues().forEach((repo, bytes) -> {
            try {
                RepoLimits value = new SpecificDatumReader<>(RepoLimits.class).read(null,
                        DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
                byRepo.put(repo, value.getMaxInFlight());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return byRepo;
    }

    private List<String> listIds() {
        CliRun run = cli("subscriptions", "list", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out().lines().map(line -> {
            try {
                return JSON.readTree(line).get("id").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private CliRun cli(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--bootstrap-server";
        all[args.length + 1] = stack.bootstrapServers();
        all[args.length + 2] = "--schema-registry-url";
        all[args.length + 3] = stack.registryUrl();
        return CliRun.of(all);
    }

    private Path copyOfExamples() throws IOException {
        Path target = temp.resolve("repos");
        try (Stream<Path> paths = Files.walk(EXAMPLES)) {
            for (Path source : paths.toList()) {
                Path copy = target.resolve(EXAMPLES.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        return target;
    }

    private static void writeTakoFile(Path repository, String content) throws IOException {
        Files.createDirectories(repository);
        Files.writeString(repository.resolve("tako.yml"), content);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
