package dev.fanout.tree;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.failed;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's final report lists the events it emitted ({@code emitted}): the run waits for their fan-outs even
 * when the report reaches the coordinator before the events do (they travel through the matcher, the report
 * does not).
 */
class EmittedFanOutsTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void aRunWhoseReportListsAnEventThatArrivesLaterWaitsForItsChildren() {
        // Given app-a's run, and app-c subscribed to app-a's image
        Trigger a = appAWithAppCOnItsImage(Map.of());

        // When app-a's success, listing e2, arrives before e2 itself
        fanout.report(succeeded(fanout, a, "{}", List.of("e2")));

        // Then nothing is done: app-a waits for a fan-out that has not opened yet
        assertThat(fanout.fanOutDone()).isEmpty();
        assertThat(fanout.treeDone()).isEmpty();
        assertThat(entries(TopologyNames.TREE_EXPECTED_FAN_OUTS)).isEqualTo(1);

        // When e2 arrives and triggers app-c
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId()).build());
        Trigger c = fanout.triggers().get(0);

        // Then app-a still waits, now for app-c, and the expectation is used up
        assertThat(fanout.treeDone()).isEmpty();
        assertThat(entries(TopologyNames.TREE_EXPECTED_FAN_OUTS)).isZero();

        // When app-c succeeds
        fanout.report(succeeded(fanout, c, "{}"));

        // Then e2 is done (keyed by app-a's run), then e1, and the tree counts both runs, once
        assertThat(fanout.fanOutDone()).extracting(r -> r.value().getFanOutId()).containsExactly("e2", "e1");
        List<TestRecord<String, TreeDone>> trees = fanout.treeDone();
        assertThat(trees).singleElement().satisfies(done -> {
            assertThat(done.value().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(done.value().getCounts()).isEqualTo(new Counts(2L, 2L, 0L, 0L, 0L, 0L, 0L, 0L));
        });
    }

    @Test
    void aListedFanOutThatIsAlreadyOpenIsNotCountedTwice() {
        // Given app-a's run whose event e2 opened before its report, and triggered app-c
        Trigger a = appAWithAppCOnItsImage(Map.of());
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId()).build());
        Trigger c = fanout.triggers().get(0);

        // When app-a succeeds listing e2 (twice, as a careless worker might), then app-c succeeds
        fanout.report(succeeded(fanout, a, "{}", List.of("e2", "e2")));
        assertThat(fanout.treeDone()).isEmpty();
        assertThat(entries(TopologyNames.TREE_EXPECTED_FAN_OUTS)).isZero();
        fanout.report(succeeded(fanout, c, "{}"));

        // Then the tree is done: app-a waited for e2 once, not twice
        assertThat(fanout.fanOutDone()).extracting(r -> r.value().getFanOutId()).containsExactly("e2", "e1");
        assertThat(fanout.treeDone()).extracting(r -> r.value().getCounts().getTotal()).containsExactly(2L);
    }

    @Test
    void aReportWithoutTheListEndsTheRunAndALateEventIsTrackedByTheTreeAlone() {
        // Given app-a's run
        Trigger a = appAWithAppCOnItsImage(Map.of());

        // When it succeeds without listing what it emitted, before its event arrives
        fanout.report(succeeded(fanout, a, "{}"));

        // Then it is done at once (what a worker that does not fill emitted gets): the tree ends with one run
        assertThat(fanout.treeDone()).extracting(r -> r.value().getCounts().getTotal()).containsExactly(1L);

        // When the event arrives late, then its child runs but nothing waits for it and no second TreeDone comes
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId()).build());
        Trigger c = fanout.triggers().get(0);
        fanout.report(succeeded(fanout, c, "{}"));
        assertThat(fanout.treeDone()).isEmpty();
        assertThat(entries(TopologyNames.TREE_EXPECTED_FAN_OUTS)).isZero();
    }

    @Test
    void aListedEventThatDoesNotWaitForItsChildrenReleasesTheRunWhenItOpens() {
        // Given app-a's run, which succeeded listing e2 before e2 arrived
        Trigger a = appAWithAppCOnItsImage(Map.of());
        fanout.report(succeeded(fanout, a, "{}", List.of("e2")));
        assertThat(fanout.fanOutDone()).isEmpty();

        // When e2 arrives, saying its emitter does not wait
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId())
                .setFanOut(FanOutOptions.newBuilder().setWaitForChildren(false).build()).build());
        Trigger c = fanout.triggers().get(0);

        // Then app-a is done while app-c still runs: the root fan-out ends as e2 opens, e2's early FanOutDone
        // follows when its plan is sealed
        List<TestRecord<String, FanOutDone>> done = fanout.fanOutDone();
        assertThat(done).extracting(r -> r.value().getFanOutId()).containsExactly("e1", "e2");
        assertThat(done.get(0).value().getCounts().getTotal()).isEqualTo(1L);
        assertThat(entries(TopologyNames.TREE_EXPECTED_FAN_OUTS)).isZero();
        // And the tree still tracks app-c
        assertThat(fanout.treeDone()).isEmpty();
        fanout.report(succeeded(fanout, c, "{}"));
        assertThat(fanout.treeDone()).extracting(r -> r.value().getCounts().getTotal()).containsExactly(2L);
    }

    @Test
    void aListedOpenEventThatDoesNotWaitForItsChildrenIsNotWaitedFor() {
        // Given app-a's event e2, open and not waited for, whose child app-c still runs
        Trigger a = appAWithAppCOnItsImage(Map.of());
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId())
                .setFanOut(FanOutOptions.newBuilder().setWaitForChildren(false).build()).build());
        Trigger c = fanout.triggers().get(0);
        fanout.fanOutDone();

        // When app-a succeeds listing e2
        fanout.report(succeeded(fanout, a, "{}", List.of("e2")));

        // Then app-a is done at once, and the root fan-out with it
        assertThat(fanout.fanOutDone()).extracting(r -> r.value().getFanOutId()).containsExactly("e1");
        fanout.report(succeeded(fanout, c, "{}"));
        assertThat(fanout.treeDone()).extracting(r -> r.value().getCounts().getTotal()).containsExactly(2L);
    }

    @Test
    void aFinalFailureWaitsForTheEventsItListsButARetriedOneDoesNot() {
        // Given app-a with two attempts
        fanout = new FanoutDriver(stateDir);
        fanout.subscribe(subscription("app-a", "on-release").setRetry(new RetryPolicy(2, 1_000L, 1.0)).build())
                .subscribe(subscription("app-c", "on-app-a").setArtifact("app-a:image").build());
        fanout.emit(event("e1").build());
        Trigger first = fanout.triggers().get(0);

        // When its first attempt fails listing e2, which never arrives: nothing waits for it, the run is retried
        fanout.report(failed(fanout, first, "flaky", true, List.of("e2")));
        assertThat(entries(TopologyNames.TREE_EXPECTED_FAN_OUTS)).isZero();
        fanout.advance(Duration.ofMillis(1_200));
        Trigger second = fanout.triggers().get(0);
        assertThat(second.getAttempt()).isEqualTo(2);

        // When the last attempt fails listing e3, before e3 arrives
        fanout.report(failed(fanout, second, "broken", true, List.of("e3")));

        // Then the failed run waits for e3's children before its fan-out and the tree end
        assertThat(fanout.treeDone()).isEmpty();
        fanout.emit(childEvent("e3", "app-a:image", "e1", second.getRunId()).build());
        Trigger c = fanout.triggers().get(0);
        fanout.report(succeeded(fanout, c, "{}"));
        List<TestRecord<String, TreeDone>> trees = fanout.treeDone();
        assertThat(trees).singleElement().satisfies(done -> {
            assertThat(done.value().getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(done.value().getCounts()).isEqualTo(new Counts(2L, 1L, 1L, 0L, 0L, 1L, 0L, 0L));
        });
    }

    @Test
    void aListedEventThatNeverArrivesHoldsItsRunUntilATimeoutAndIsRemovedWithTheTree() {
        // Given a root event with a one-minute fan-out timeout, and a one-hour retention
        Trigger a = appAWithAppCOnItsImage(Map.of(FanoutConfig.TREE_RETENTION_MS, 3_600_000L),
                FanOutOptions.newBuilder().setTimeoutMs(60_000L).build());

        // When app-a succeeds listing e2, which never arrives
        fanout.report(succeeded(fanout, a, "{}", List.of("e2")));

        // Then the tree waits until the root fan-out's timeout, then ends TIMED_OUT
        fanout.advance(Duration.ofSeconds(59));
        assertThat(fanout.treeDone()).isEmpty();
        fanout.advance(Duration.ofSeconds(2));
        assertThat(fanout.treeDone()).extracting(r -> r.value().getStatus()).containsExactly(CompletionStatus.TIMED_OUT);

        // And when the tree is removed after its retention, its expectation goes with it
        assertThat(entries(TopologyNames.TREE_EXPECTED_FAN_OUTS)).isEqualTo(1);
        fanout.advance(Duration.ofMinutes(61));
        assertThat(entries(TopologyNames.TREE_EXPECTED_FAN_OUTS)).isZero();
        assertThat(entries(TopologyNames.TREE_TREES)).isZero();
    }

    private Trigger appAWithAppCOnItsImage(Map<String, ?> settings) {
        return appAWithAppCOnItsImage(settings, null);
    }

    private Trigger appAWithAppCOnItsImage(Map<String, ?> settings, FanOutOptions rootOptions) {
        fanout = new FanoutDriver(stateDir, settings);
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-c", "on-app-a").setArtifact("app-a:image").build());
        fanout.emit(event("e1").setFanOut(rootOptions).build());
        return fanout.triggers().get(0);
    }

    private int entries(String store) {
        KeyValueStore<Object, Object> values = fanout.driver().getKeyValueStore(store);
        int count = 0;
        try (KeyValueIterator<Object, Object> all = values.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }
}
