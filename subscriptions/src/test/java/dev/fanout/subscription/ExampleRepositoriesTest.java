package dev.fanout.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.discovery.RepositoryScanner;
import dev.fanout.subscription.discovery.ScanResult;
import dev.fanout.subscription.match.MatchResult;
import dev.fanout.subscription.match.MatchResult.Outcome;
import dev.fanout.subscription.match.Matching;
import dev.fanout.subscription.match.PreparedEvent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** examples/repos scans cleanly and behaves as its README walks through. */
class ExampleRepositoriesTest {

    private static final Path EXAMPLES =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../examples/repos").normalize();

    private static ScanResult scan;
    private static Map<String, CompiledSubscription> compiled;
    private final Matching matching = new Matching();

    @BeforeAll
    static void scanExamples() {
        scan = RepositoryScanner.withDefaults().scan(EXAMPLES);
        compiled = new LinkedHashMap<>();
        scan.subscriptions().forEach(subscription -> compiled.put(subscription.getId(), Fixtures.compile(subscription)));
    }

    private static ArtifactEvent event(String artifact, String type, String schemaVersion, String payload, String source) {
        return Fixtures.event().setArtifact(artifact).setEventType(type).setSchemaVersion(schemaVersion)
                .setPayload(payload).setSourceRepo(source).build();
    }

    /** Outcome per subscription id for every subscription of the event's artifact. */
    private Map<String, Outcome> outcomes(ArtifactEvent event) {
        PreparedEvent prepared = PreparedEvent.prepare(event);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        compiled.forEach((id, subscription) -> {
            MatchResult result = matching.match(prepared, subscription);
            if (result.outcome() != Outcome.ARTIFACT_DIFFERS) {
                outcomes.put(id, result.outcome());
            }
        });
        return outcomes;
    }

    @Test
    void theExamplesScanWithoutErrors() {
        assertThat(scan.errors()).isEmpty();
        assertThat(scan.repositories())
                .containsExactly("acme/deployer", "docs-site", "legacy-app", "lib-core", "qa-suite", "svc-a", "svc-b");
        assertThat(scan.subscriptions()).extracting(Subscription::getId).containsExactly(
                "acme/deployer/deploy-image",
                "docs-site/publish-docs",
                "legacy-app/on-core-release",
                "qa-suite/smoke-after-deploy",
                "svc-a/on-core-release",
                "svc-a/on-smoke-report",
                "svc-b/on-core-beta");
    }

    @Test
    void theStableCoreReleaseReachesSvcAAndTheDocsButNotTheBetaFilterOrTheLegacyRange() {
        ArtifactEvent release = event("lib-core:release", "published", "1.4.0",
                "{\"version\": \"1.4.0\", \"channel\": \"stable\"}", "lib-core");

        assertThat(outcomes(release)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "svc-a/on-core-release", Outcome.MATCHED,
                "docs-site/publish-docs", Outcome.MATCHED,
                "svc-b/on-core-beta", Outcome.FILTER_FALSE,
                "legacy-app/on-core-release", Outcome.VERSION_OUT_OF_RANGE));
    }

    @Test
    void svcABuildsWithTheReleaseVersionAsInput() {
        ArtifactEvent release = event("lib-core:release", "published", "1.4.0",
                "{\"version\": \"1.4.0\", \"channel\": \"stable\"}", "lib-core");

        Map<String, String> inputs = compiled.get("svc-a/on-core-release")
                .renderInputs(PreparedEvent.prepare(release).variables().orElseThrow()).value();

        assertThat(inputs).containsExactly(Map.entry("core_version", "\"1.4.0\""), Map.entry("triggered_by", "\"lib-core\""));
    }

    @Test
    void theImageFansOutOneDeploymentPerRegionInOrder() {
        // Given
        ArtifactEvent image = event("svc-a:image", "published", "2.1.0",
                "{\"image\": \"svc-a:1.4.0-1\", \"regions\": [\"eu-west\", \"us-east\", \"ap-south\"]}", "svc-a");
        CompiledSubscription deploy = compiled.get("acme/deployer/deploy-image");
        var variables = PreparedEvent.prepare(image).variables().orElseThrow();

        // When
        List<String> items = deploy.items(variables).value();
        Map<String, String> second = deploy.renderInputs(variables, items.get(1), 1).value();

        // Then
        assertThat(outcomes(image)).containsExactly(Map.entry("acme/deployer/deploy-image", Outcome.MATCHED));
        assertThat(items).containsExactly("\"eu-west\"", "\"us-east\"", "\"ap-south\"");
        assertThat(second).containsExactly(
                Map.entry("image", "\"svc-a:1.4.0-1\""), Map.entry("region", "\"us-east\""), Map.entry("wave", "2"));
    }

    @Test
    void eachDeploymentReachesTheSmokeTestsAtTheThirdLevel() {
        ArtifactEvent deployment = event("acme/deployer:deployment", "succeeded", "1.0.3",
                "{\"region\": \"eu-west\", \"image\": \"svc-a:1.4.0-1\"}", "acme/deployer");

        assertThat(outcomes(deployment)).containsExactly(Map.entry("qa-suite/smoke-after-deploy", Outcome.MATCHED));
    }

    @Test
    void aFailedSmokeReportMatchesASubscriptionWhoseWorkflowIsAlreadyOnThePath() {
        // Given the path of a smoke run, as the matcher would carry it in the trigger
        List<String> path = List.of("svc-a/build", "acme/deployer/deploy", "qa-suite/smoke");
        ArtifactEvent report = event("qa-suite:report", "failed", "1.0.0", "{\"region\": \"eu-west\"}", "qa-suite");

        // When
        Map<String, Outcome> outcomes = outcomes(report);
        Subscription cyclic = compiled.get("svc-a/on-smoke-report").subscription();

        // Then matching says yes, and the cycle rule (the matcher's) is what must say no
        assertThat(outcomes).containsExactly(Map.entry("svc-a/on-smoke-report", Outcome.MATCHED));
        assertThat(path).contains(cyclic.getRepo() + "/" + cyclic.getWorkflow());
    }

    @Test
    void theDocsWaitForSvcAInTheSameFanOut() {
        Subscription docs = compiled.get("docs-site/publish-docs").subscription();

        assertThat(docs.getDependsOn().getSubscriptions()).containsExactly("svc-a/on-core-release");
        assertThat(compiled.get("svc-a/on-core-release").artifact()).isEqualTo(docs.getArtifact());
    }
}
