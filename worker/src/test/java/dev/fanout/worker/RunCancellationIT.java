package dev.fanout.worker;

import static dev.fanout.worker.WorkerIT.event;
import static dev.fanout.worker.WorkerIT.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers see the cancellations of their runs ({@code run-cancellations}) on the real pipeline: the records
 * are written by the test, as the tree coordinator writes them when a tree is cancelled.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RunCancellationIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path stateDir;

    private static LivePipeline fanout;

    @BeforeAll
    static void startPipeline(EmbeddedKafkaBroker broker) throws Exception {
        fanout = new LivePipeline(broker.bootstrapServers(), stateDir);
    }

    @AfterAll
    static void stopPipeline() {
        if (fanout != null) {
            fanout.close();
        }
    }

    @Test
    void aHandlerWaitingForItsCancellationSeesItAndTheRunIsReportedFailedNotRetryable() throws Exception {
        // Given a handler that blocks until its run is cancelled
        fanout.subscribe(List.of(subscription("cx-a", "on-release", "cx-core:release", "build").build()));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch told = new CountDownLatch(1);
        FanoutWorker worker = fanout.worker("cx-blocking").handle("cx-a", "build", run -> {
            run.onCancel(told::countDown);
            running.countDown();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(run::cancelled);
            return RunResult.failed("stopped at step 2 of 5");
        }).build();

        try (worker) {
            worker.start();
            fanout.emit(event("cx-blocked", "cx-core:release", "{}"));
            assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the handler started").isTrue();
            Trigger trigger = fanout.triggers("cx-blocked").get(0);

            // When the run's cancellation is written
            fanout.cancel(cancellation(trigger, "wrong version"));

            // Then the handler was told, returned, and the run is reported FAILED, not retryable, cancelled
            assertThat(told.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("onCancel ran").isTrue();
            RunStatus failed = awaitFinal(trigger);
            assertThat(failed.getStatus()).isEqualTo(RunState.FAILED);
            assertThat(failed.getRetryable()).isFalse();
            assertThat(failed.getError()).isEqualTo("cancelled: wrong version; the handler ended with: "
                    + "stopped at step 2 of 5");
        }
    }

    @Test
    void aTriggerWhoseRunWasCancelledBeforeTheWorkerStartedIsReportedFailedWithoutRunningTheHandler() throws Exception {
        // Given a trigger waiting for a worker, and its run's cancellation written before the worker starts
        fanout.subscribe(List.of(subscription("cx-b", "on-release", "cx-early:release", "build").build()));
        fanout.emit(event("cx-early", "cx-early:release", "{}"));
        Trigger trigger = await().atMost(WAIT).until(() -> fanout.triggers("cx-early"), found -> found.size() == 1).get(0);
        fanout.cancel(cancellation(trigger, null));
        AtomicInteger handled = new AtomicInteger();
        FanoutWorker worker = fanout.worker("cx-early").handle("cx-b", "build", run -> {
            handled.incrementAndGet();
            return RunResult.succeeded();
        }).build();

        // When the worker starts and gets the trigger
        try (worker) {
            worker.start();

            // Then the run is reported FAILED without STARTED, and the handler never ran
            RunStatus failed = awaitFinal(trigger);
            assertThat(failed.getStatus()).isEqualTo(RunState.FAILED);
            assertThat(failed.getRetryable()).isFalse();
            assertThat(failed.getError()).isEqualTo("cancelled: tree cx-early was cancelled");
            assertThat(fanout.statuses("cx-early")).extracting(RunStatus::getStatus).containsExactly(RunState.FAILED);
            assertThat(handled).hasValue(0);
        }
    }

    private static RunCancellation cancellation(Trigger trigger, String reason) {
        return RunCancellation.newBuilder().setRunId(trigger.getRunId()).setTreeId(trigger.getTreeId())
                .setRepo(trigger.getRepo()).setAttempt(trigger.getAttempt()).setReason(reason)
                .setCancelledAt(Instant.now()).build();
    }

    private static RunStatus awaitFinal(Trigger trigger) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> fanout.statuses(trigger.getTreeId())
                        .stream().filter(s -> s.getRunId().equals(trigger.getRunId()) && s.getStatus() != RunState.STARTED)
                        .findFirst().orElse(null), status -> status != null);
    }
}
