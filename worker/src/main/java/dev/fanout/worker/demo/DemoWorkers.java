package dev.fanout.worker.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.worker.FanoutWorker;
import dev.fanout.worker.NestedEvent;
import dev.fanout.worker.NonRetryableException;
import dev.fanout.worker.Run;
import dev.fanout.worker.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Handlers for every subscription of examples/repos, for {@code fanout demo}: register them on a worker
 * builder with {@link #register}, start the worker, and emit {@link #demoEvent}. The tree that follows:
 *
 * <pre>
 * lib-core:release 1.4.0, channel stable                                   root (demoEvent)
 * ├── svc-a/build           ~600 ms, emits svc-a:image and waits            level 1
 * │   └── acme/deployer/deploy × 3 regions (foreach)                        level 2
 * │         eu-west ~1.5 s, us-east fails its first attempt then ~400 ms, ap-south ~900 ms;
 * │         each emits acme/deployer:deployment and waits
 * │         └── qa-suite/smoke  ~300-700 ms                                 level 3
 * │               ap-south's smoke publishes qa-suite:report (failed)
 * │               └── svc-a/on-smoke-report                                 skipped: cycle
 * ├── docs-site/publish     ~2 s, WAITING until svc-a/build and all it waits for succeeded (depends_on)
 * ├── svc-b/on-core-beta    not triggered: its CEL filter wants the beta channel
 * └── legacy-app/on-core-release  not triggered: 1.4.0 is outside ^0.9.0
 * </pre>
 *
 * The tree ends SUCCEEDED with the counts of {@link #EXPECTED}: 9 children (2 + 3 + 3 + 1), 8 succeeded,
 * 1 skipped, 1 retry, in about 7 seconds.
 *
 * <p>Then a bad release ({@link #badReleaseEvent}, lib-core 1.4.1): ap-south refuses the image for good, so the
 * deployments' fan-out fails; the two regions already deployed are compensated ({@code undeploy}, latest
 * first), svc-a's build fails, and docs-site, which depends on it, is skipped. That tree ends FAILED with the
 * counts of {@link #EXPECTED_BAD_RELEASE}: 7 children, 4 succeeded, 2 failed, 1 skipped, 1 retry, 2 compensated.
 */
public final class DemoWorkers {

    /** The artifact the demo event is published on. */
    public static final String ROOT_ARTIFACT = "lib-core:release";
    public static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-south");
    /** The region whose deployment fails on its first attempt. */
    public static final String FLAKY_REGION = "us-east";
    /** The region whose smoke test publishes a failed report (which would rebuild svc-a: a cycle). */
    public static final String REPORTING_REGION = "ap-south";

    /** The lib-core version of the bad release, whose image ap-south refuses. */
    public static final String BAD_RELEASE_VERSION = "1.4.1";

    /** What the demo event's tree ends with. */
    public static final Expected EXPECTED = new Expected(CompletionStatus.SUCCEEDED, 9, 8, 0, 1, 1, 0);

    /** What the bad release's tree ends with. */
    public static final Expected EXPECTED_BAD_RELEASE = new Expected(CompletionStatus.FAILED, 7, 4, 2, 1, 1, 2);

    /** In words, for the command that runs the demo. */
    public static final String DESCRIPTION = """
            lib-core publishes lib-core:release (published, schema 1.4.0, {"version": "1.4.0", "channel": "stable"}).
            svc-a builds (0.6 s) and publishes svc-a:image with three regions; acme/deployer deploys each region
            (foreach, 0.4 to 1.5 s; us-east fails its first attempt and is retried), each deployment is smoke-tested
            by qa-suite (level 3), and ap-south's smoke test publishes a failed report that would rebuild svc-a,
            a cycle, so that child is skipped. docs-site depends_on svc-a's build: it waits until the build and all it
            waited for have succeeded, then publishes (2 s). svc-b's filter wants the beta channel and
            legacy-app's range stops below 1.0.0, so neither is triggered.
            Expected: SUCCEEDED, 9 children, 8 succeeded, 1 skipped, 1 retry.""";

    /** The bad release, in words. */
    public static final String BAD_RELEASE_DESCRIPTION = """
            lib-core publishes a bad release, 1.4.1. svc-a builds and deploys it as before, but ap-south refuses the
            image for good: the deployments' fan-out fails, so the two regions already deployed are undone by
            acme/deployer's compensate_workflow (undeploy), the one that finished last first. svc-a's build fails, and
            docs-site, which depends on it, is skipped.
            Expected: FAILED, 7 children, 4 succeeded, 2 failed, 1 skipped, 1 retry, 2 compensated.""";

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoWorkers() {
    }

    /** The counts the demo tree's {@code TreeDone} should carry. */
    public record Expected(CompletionStatus status, long total, long succeeded, long failed, long skipped, long retries,
            long compensated) {
    }

    /** The root event of the demo, with {@code eventId} as its event (and tree) id. */
    public static ArtifactEvent demoEvent(String eventId) {
        return release(eventId, "1.4.0");
    }

    /** The bad release, lib-core {@value #BAD_RELEASE_VERSION}, with {@code eventId} as its event (and tree) id. */
    public static ArtifactEvent badReleaseEvent(String eventId) {
        return release(eventId, BAD_RELEASE_VERSION);
    }

    private static ArtifactEvent release(String eventId, String version) {
        Objects.requireNonNull(eventId, "eventId");
        return ArtifactEvent.newBuilder()
                .setEventId(eventId)
                .setArtifact(ROOT_ARTIFACT)
                .setEventType("published")
                .setSchemaVersion("1.4.0")
                .setPayload("{\"version\": \"" + version + "\", \"channel\": \"stable\"}")
                .setProducedAt(Instant.now())
                .setSourceRepo("lib-core")
                .build();
    }

    /** Adds a handler for every workflow the example subscriptions name. */
    public static FanoutWorker.Builder register(FanoutWorker.Builder builder) {
        return builder
                .handle("svc-a", "build", DemoWorkers::build)
                .handle("acme/deployer", "deploy", DemoWorkers::deploy)
                .handle("acme/deployer", "undeploy", DemoWorkers::undeploy)
                .handle("svc-a", "rollback", run -> work(300, RunResult.succeeded("{\"rolled_back\": true}")))
                .handle("qa-suite", "smoke", DemoWorkers::smoke)
                .handle("docs-site", "publish", run -> work(2000, RunResult.succeeded(
                        "{\"url\": \"https://docs.example/lib-core/\" }")))
                .handle("svc-b", "try-beta", run -> RunResult.succeeded("{\"tried\": " + run.input("version") + "}"))
                .handle("legacy-app", "rebuild", run -> RunResult.succeeded());
    }

    /** svc-a/build: builds, publishes its image to the deployer and waits for every region. */
    private static RunResult build(Run run) throws Exception {
        if (!run.event().getArtifact().equals(ROOT_ARTIFACT)) {
            return RunResult.succeeded("{\"rebuilt\": true}");
        }
        String image = "svc-a:" + text(run.input("core_version")) + "-1";
        pause(600);
        ObjectNode payload = JSON.createObjectNode().put("image", image);
        ArrayNode regions = payload.putArray("regions");
        REGIONS.forEach(regions::add);
        FanOutDone deployed = run.emitAndWait(NestedEvent.builder("svc-a:image", "published", "2.1.0")
                .payload(JSON.writeValueAsString(payload)).build(), WAIT);
        if (deployed.getStatus() != CompletionStatus.SUCCEEDED) {
            // Building again would not help: the deployments were undone by their compensation.
            return RunResult.failed("deploying " + image + " ended " + deployed.getStatus(), false);
        }
        return RunResult.succeeded(JSON.writeValueAsString(Map.of("image", image,
                "deployments", results(deployed))));
    }

    /** acme/deployer/deploy, one run per region: deploys, announces the deployment and waits for its smoke test. */
    private static RunResult deploy(Run run) throws Exception {
        String region = text(run.input("region"));
        if (region.equals(FLAKY_REGION) && run.attempt() == 1) {
            pause(300);
            throw new IllegalStateException("the " + region + " cluster refused the rollout (a demo failure; it is retried)");
        }
        String image = text(run.input("image"));
        if (region.equals(REPORTING_REGION) && image.contains(BAD_RELEASE_VERSION)) {
            pause(300);
            throw new NonRetryableException("the " + region + " cluster refuses " + image + " (the demo's bad release)");
        }
        pause(switch (region) {
            case "eu-west" -> 1500;
            case "ap-south" -> 900;
            default -> 400;
        });
        FanOutDone smoke = run.emitAndWait(NestedEvent.builder("acme/deployer:deployment", "succeeded", "1.0.3")
                .payload(JSON.writeValueAsString(Map.of("region", region, "image", image))).build(), WAIT);
        return RunResult.succeeded(JSON.writeValueAsString(Map.of("region", region, "wave", JSON.readTree(run.input("wave")),
                "attempt", run.attempt(), "smoke", results(smoke))));
    }

    /** acme/deployer/undeploy: the compensation of a deployment whose fan-out failed after it succeeded. */
    private static RunResult undeploy(Run run) throws Exception {
        String region = text(run.input("region"));
        pause(300);
        return RunResult.succeeded(JSON.writeValueAsString(Map.of("region", region, "undeployed",
                text(run.input("image")), "compensates", run.trigger().getCompensation().getRunId())));
    }

    /** qa-suite/smoke: tests a deployment; one region's test reports a failure. */
    private static RunResult smoke(Run run) throws Exception {
        String region = text(run.input("region"));
        pause(region.equals(REPORTING_REGION) ? 700 : 300);
        boolean passed = !region.equals(REPORTING_REGION);
        if (!passed) {
            run.emit(NestedEvent.builder("qa-suite:report", "failed", "1.0.0")
                    .payload(JSON.writeValueAsString(Map.of("region", region))).build());
        }
        return RunResult.succeeded(JSON.writeValueAsString(Map.of("region", region, "passed", passed)));
    }

    private static RunResult work(long millis, RunResult result) throws InterruptedException {
        pause(millis);
        return result;
    }

    /** The demo's stand-in for real work. */
    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private static List<JsonNode> results(FanOutDone done) throws JsonProcessingException {
        List<JsonNode> outputs = new java.util.ArrayList<>();
        for (ChildResult result : done.getResults()) {
            outputs.add(result.getOutput() == null ? JSON.nullNode() : JSON.readTree(result.getOutput()));
        }
        return outputs;
    }

    private static String text(String json) throws JsonProcessingException {
        return JSON.readTree(json).asText();
    }
}
