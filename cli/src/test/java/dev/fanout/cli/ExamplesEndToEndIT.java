package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.CaughtUp;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutTopics;
import dev.fanout.local.DevStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk-through of examples/repos/README.md, as a user would do it: {@code fanout dev}'s stack,
 * {@code fanout subscriptions sync}, then {@code fanout emit} for each level of the chain, with exactly
 * the expected triggers read back (read_committed) once the topology has processed everything.
 * The steps build on each other, so they run in order on one stack.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesEndToEndIT {

    private static final Path EXAMPLES = Path.of("..", "examples", "repos");
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String TREE = "release-1.4.0";

    @TempDir
    static Path dir;

    private static DevStack stack;
    private static FanoutTopics topics;

    @BeforeAll
    static void startStackAndSync() {
        stack = DevStack.start(new DevStack.Options(dir.resolve("data"), "127.0.0.1", 0, 0, 3));
        topics = FanoutTopics.from(stack.settings());
        CliRun sync = cli("subscriptions", "sync", "--repos", EXAMPLES.toString());
        assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
        // A subscription applies to the events processed after it is indexed: let the index catch up.
        settledTriggers();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void theRootEventTriggersTheBuildWhileDocsSiteWaitsForIt() {
        emit("--artifact", "lib-core:release", "--event-type", "published", "--schema-version", "1.4.0",
                "--event-id", TREE, "--payload", "{\"version\": \"1.4.0\", \"channel\": \"stable\"}");

        List<Trigger> triggers = settledTriggers();

        // docs-site/publish-docs matched too, but depends_on svc-a/on-core-release: it waits for that run to succeed
        assertThat(triggers).extracting(Trigger::getSubscriptionId).containsExactly("svc-a/on-core-release");
        Trigger build = bySubscription(triggers, "svc-a/on-core-release");
        assertThat(build.getTreeId()).isEqualTo(TREE);
        assertThat(build.getFanOutId()).isEqualTo(TREE);
        assertThat(build.getParentRunId()).isNull();
        assertThat(build.getRepo()).isEqualTo("svc-a");
        assertThat(build.getWorkflow()).isEqualTo("build");
        assertThat(build.getInputs()).containsEntry("core_version", "\"1.4.0\"").containsEntry("triggered_by", "\"lib-core\"");
        assertThat(build.getDepth()).isEqualTo(1);
        assertThat(build.getPath()).isEmpty();
        assertThat(build.getAttempt()).isEqualTo(1);
        assertThat(build.getDeadline()).as("timeout_ms 600000 gives a deadline").isNotNull();
    }

    @Test
    @Order(2)
    void theBuildsImageFansOutOneDeploymentPerRegionInOrder() {
        Trigger build = bySubscription(settledTriggers(), "svc-a/on-core-release");

        emitNested(build, "svc-a:image", "published", "2.1.0",
                "{\"image\": \"svc-a:1.4.0-1\", \"regions\": [\"eu-west\", \"us-east\", \"ap-south\"]}", "image-1");

        List<Trigger> deploys = settledTriggers().stream()
                .filter(t -> t.getSubscriptionId().equals("acme/deployer/deploy-image"))
                .sorted(Comparator.comparing(Trigger::getItemIndex)).toList();
        assertThat(deploys).extracting(Trigger::getItem).containsExactly("\"eu-west\"", "\"us-east\"", "\"ap-south\"");
        assertThat(deploys).extracting(Trigger::getItemIndex).containsExactly(0, 1, 2);
        assertThat(deploys).extracting(Trigger::getRunId).doesNotHaveDuplicates();
        Trigger second = deploys.get(1);
        assertThat(second.getRepo()).isEqualTo("acme/deployer");
        assertThat(second.getInputs()).containsEntry("region", "\"us-east\"")
                .containsEntry("image", "\"svc-a:1.4.0-1\"").containsEntry("wave", "2");
        assertThat(second.getDepth()).isEqualTo(2);
        assertThat(second.getPath()).containsExactly("svc-a/build");
        assertThat(second.getParentRunId()).isEqualTo(build.getRunId());
        assertThat(second.getTreeId()).isEqualTo(TREE);
    }

    @Test
    @Order(3)
    void aDeploymentTriggersTheSmokeTestAtLevelThree() {
        Trigger deploy = settledTriggers().stream()
                .filter(t -> t.getSubscriptionId().equals("acme/deployer/deploy-image") && t.getItemIndex() == 1)
                .findFirst().orElseThrow();

        emitNested(deploy, "acme/deployer:deployment", "succeeded", "1.0.3",
                "{\"region\": \"us-east\", \"image\": \"svc-a:1.4.0-1\"}", "deployment-us-east");

        Trigger smoke = bySubscription(settledTriggers(), "qa-suite/smoke-after-deploy");
        assertThat(smoke.getDepth()).isEqualTo(3);
        assertThat(smoke.getPath()).containsExactly("svc-a/build", "acme/deployer/deploy");
        assertThat(smoke.getInputs()).containsEntry("region", "\"us-east\"");
    }

    @Test
    @Order(4)
    void aReportThatWouldRebuildSvcAIsACycleAndTriggersNothing() {
        Trigger smoke = bySubscription(settledTriggers(), "qa-suite/smoke-after-deploy");

        emitNested(smoke, "qa-suite:report", "failed", "1.0.0", "{\"region\": \"us-east\"}", "report-us-east");

        List<Trigger> triggers = settledTriggers();
        assertThat(triggers).as("the build at level 1 (docs-site still waits for it), 3 deployments, 1 smoke test; "
                + "the cycle triggers nothing").hasSize(5);
        assertThat(triggers).filteredOn(t -> t.getDepth() == 4).isEmpty();
    }

    @Test
    @Order(5)
    void theSameEventSentAgainTriggersNothingNew() {
        emit("--artifact", "lib-core:release", "--event-type", "published", "--schema-version", "1.4.0",
                "--event-id", TREE, "--payload", "{\"version\": \"1.4.0\", \"channel\": \"stable\"}");

        assertThat(settledTriggers()).hasSize(5);
    }

    @Test
    @Order(6)
    void editingTakoYmlAndSyncingAgainChangesWhoMatches() throws IOException {
        // Given a copy of the examples where svc-b now takes stable releases and docs-site subscribes to nothing
        Path repos = dir.resolve("repos");
        copy(EXAMPLES, repos);
        Path svcB = repos.resolve("svc-b").resolve("tako.yml");
        Files.writeString(svcB, Files.readString(svcB).replace("channel == \"beta\"", "channel == \"stable\""));
        Files.writeString(repos.resolve("docs-site").resolve("tako.yml"), "subscriptions: []\n");

        // When it is synced and a new release is emitted
        CliRun sync = cli("subscriptions", "sync", "--repos", repos.toString());
        assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
        assertThat(sync.out()).contains("1 changed").contains("1 removed");
        settledTriggers();
        emit("--artifact", "lib-core:release", "--event-type", "published", "--schema-version", "1.5.0",
                "--event-id", "release-1.5.0", "--payload", "{\"version\": \"1.5.0\", \"channel\": \"stable\"}");

        // Then svc-b is triggered and docs-site is not
        assertThat(settledTriggers()).filteredOn(t -> t.getTreeId().equals("release-1.5.0"))
                .extracting(Trigger::getSubscriptionId)
                .containsExactlyInAnyOrder("svc-a/on-core-release", "svc-b/on-core-beta");
    }

    private static CliRun cli(String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--bootstrap-server", stack.bootstrapServers(),
                "--schema-registry-url", stack.registryUrl())).toArray(String[]::new);
        return CliRun.of(all);
    }

    private static void emit(String... args) {
        String[] all = Stream.concat(Stream.of("emit"), Stream.of(args)).toArray(String[]::new);
        CliRun run = cli(all);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private static void emitNested(Trigger parent, String artifact, String type, String version, String payload,
            String eventId) {
        emit("--artifact", artifact, "--event-type", type, "--schema-version", version, "--event-id", eventId,
                "--payload", payload, "--parent-tree", parent.getTreeId(), "--parent-run", parent.getRunId());
    }

    /** Every trigger written so far, once the topology has processed all it was given. */
    private static List<Trigger> settledTriggers() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> CaughtUp.isCaughtUp(stack.bootstrapServers(), "fanout", topics));
        Deserializer<Trigger> deserializer = topics.triggers().valueSerde().deserializer();
        return CaughtUp.readAll(stack.bootstrapServers(), topics.triggers().name()).stream()
                .map(r -> deserializer.deserialize(r.topic(), r.value())).toList();
    }

    private static Trigger bySubscription(List<Trigger> triggers, String id) {
        List<Trigger> found = triggers.stream().filter(t -> t.getSubscriptionId().equals(id)).toList();
        assertThat(found).as("triggers of %s", id).hasSize(1);
        return found.get(0);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
