package dev.fanout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.Counts;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.subscription.discovery.RepositoryScanner;
import dev.fanout.subscription.discovery.ScanResult;
import dev.fanout.testkit.KafkaBrokerExtension;
import dev.fanout.worker.demo.DemoWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The demo workers against examples/repos on the real pipeline: the demo event's tree, end to end. */
@ExtendWith(KafkaBrokerExtension.class)
class DemoWorkersIT {

    private static final Path EXAMPLES =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../examples/repos").normalize();

    @TempDir
    Path stateDir;

    @Test
    void theDemoEventsTreeSucceedsWithTheDesignedCountsInWellUnderAMinute(EmbeddedKafkaBroker broker) throws Exception {
        // Given the example subscriptions and the demo workers
        ScanResult scan = RepositoryScanner.withDefaults().scan(EXAMPLES);
        assertThat(scan.errors()).isEmpty();
        try (LivePipeline fanout = new LivePipeline(broker.bootstrapServers(), stateDir);
                FanoutWorker worker = DemoWorkers.register(fanout.worker("demo").concurrency(8)).build()) {
            fanout.subscribe(scan.subscriptions());
            worker.start();

            // When the demo event is emitted
            Instant emitted = Instant.now();
            fanout.emit(DemoWorkers.demoEvent("demo-1"));

            // Then its tree ends as designed, soon
            TreeDone done = fanout.awaitTreeDone("demo-1");
            Duration took = Duration.between(emitted, done.getFinishedAt());
            System.out.println("demo tree: " + done.getStatus() + " " + done.getCounts() + " in " + took);
            DemoWorkers.Expected expected = DemoWorkers.EXPECTED;
            Counts counts = done.getCounts();
            assertThat(done.getStatus()).isEqualTo(expected.status());
            assertThat(counts.getTotal()).isEqualTo(expected.total());
            assertThat(counts.getSucceeded()).isEqualTo(expected.succeeded());
            assertThat(counts.getFailed()).isEqualTo(expected.failed());
            assertThat(counts.getSkipped()).isEqualTo(expected.skipped());
            assertThat(counts.getRetries()).isEqualTo(expected.retries());
            assertThat(took).isLessThan(Duration.ofSeconds(30));
            // the filter and the range kept svc-b and legacy-app out; three levels were reached
            assertThat(fanout.triggers("demo-1")).extracting(Trigger::getRepo)
                    .doesNotContain("svc-b", "legacy-app")
                    .contains("svc-a", "acme/deployer", "qa-suite", "docs-site");
            assertThat(fanout.triggers("demo-1")).extracting(Trigger::getDepth).contains(3);
        }
    }

    @Test
    void theBadReleaseIsCompensatedAndItsDependentSkipped(EmbeddedKafkaBroker broker) throws Exception {
        // Given the example subscriptions and the demo workers
        ScanResult scan = RepositoryScanner.withDefaults().scan(EXAMPLES);
        try (LivePipeline fanout = new LivePipeline(broker.bootstrapServers(), stateDir);
                FanoutWorker worker = DemoWorkers.register(fanout.worker("demo-bad").concurrency(8)).build()) {
            fanout.subscribe(scan.subscriptions());
            worker.start();

            // When the bad release is emitted (ap-south refuses its image for good)
            fanout.emit(DemoWorkers.badReleaseEvent("bad-1"));

            // Then the tree ends as designed: FAILED, the two deployed regions compensated, docs-site skipped
            TreeDone done = fanout.awaitTreeDone("bad-1");
            DemoWorkers.Expected expected = DemoWorkers.EXPECTED_BAD_RELEASE;
            Counts counts = done.getCounts();
            assertThat(done.getStatus()).isEqualTo(expected.status());
            assertThat(counts.getTotal()).isEqualTo(expected.total());
            assertThat(counts.getSucceeded()).isEqualTo(expected.succeeded());
            assertThat(counts.getFailed()).isEqualTo(expected.failed());
            assertThat(counts.getSkipped()).isEqualTo(expected.skipped());
            assertThat(counts.getRetries()).isEqualTo(expected.retries());
            assertThat(counts.getCompensated()).isEqualTo(expected.compensated());
            // the compensations came after the failure, for the two regions deployed, as undeploy runs
            List<Trigger> undos = fanout.triggers("bad-1").stream().filter(t -> t.getCompensation() != null).toList();
            assertThat(undos).extracting(Trigger::getWorkflow).containsOnly("undeploy");
            assertThat(undos).extracting(t -> t.getInputs().get("region"))
                    .containsExactlyInAnyOrder("\"eu-west\"", "\"us-east\"");
            assertThat(fanout.triggers("bad-1")).extracting(Trigger::getRepo).doesNotContain("docs-site");
        }
    }
}
