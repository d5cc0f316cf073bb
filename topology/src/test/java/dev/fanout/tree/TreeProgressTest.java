package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.started;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.TreeProgress;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TreeProgress: at most one a second per tree, only when something changed, and at once on completion. */
class TreeProgressTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;
    private List<Trigger> triggers;

    @BeforeEach
    void start() {
        // Given a tree of three children, all started
        fanout = new FanoutDriver(stateDir);
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.emit(event("e1").setPayload("{\"targets\":[\"t0\",\"t1\",\"t2\"]}").build());
        triggers = fanout.triggers();
        triggers.forEach(t -> fanout.report(started(fanout, t)));
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void manyChangesWithinASecondGiveOneProgressRecord() {
        // When a second passes after the event and three starts
        fanout.advance(Duration.ofMillis(1_000));

        // Then one progress record says three are running
        List<TestRecord<String, TreeProgress>> progress = fanout.treeProgress();
        assertThat(progress).hasSize(1);
        assertThat(progress.get(0).key()).isEqualTo("e1");
        assertThat(progress.get(0).value().getCounts().getTotal()).isEqualTo(3);
        assertThat(progress.get(0).value().getRunning()).isEqualTo(3);
        assertThat(progress.get(0).value().getDone()).isFalse();
    }

    @Test
    void aTreeThatDidNotChangeSendsNoProgress() {
        fanout.advance(Duration.ofMillis(1_000));
        fanout.treeProgress();

        // When time passes without a report
        fanout.advance(Duration.ofSeconds(3));

        // Then no progress is sent
        assertThat(fanout.treeProgress()).isEmpty();
    }

    @Test
    void completionIsSentAtOnceWithoutWaitingForTheInterval() {
        fanout.advance(Duration.ofMillis(1_000));
        fanout.treeProgress();

        // When every child succeeds, within the same second
        triggers.forEach(t -> fanout.report(succeeded(fanout, t, "{}")));

        // Then the final progress is there at once, done, and nothing follows it
        List<TestRecord<String, TreeProgress>> progress = fanout.treeProgress();
        assertThat(progress).hasSize(1);
        assertThat(progress.get(0).value().getDone()).isTrue();
        assertThat(progress.get(0).value().getCounts().getSucceeded()).isEqualTo(3);
        assertThat(progress.get(0).value().getRunning()).isZero();
        fanout.advance(Duration.ofSeconds(2));
        assertThat(fanout.treeProgress()).isEmpty();
    }
}
