package dev.fanout.worker;

import dev.fanout.avro.RunProgress;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The STARTED reports of one attempt: the first, the handler's progress, and heartbeats every third of
 * the trigger's {@code heartbeat_timeout_ms} while the handler runs, so two may be lost or late before
 * Fanout gives up on the attempt. Each is a heartbeat to Fanout. None is sent once {@link #stop} is called
 * (the final report is on its way, or the worker halted as a crash would).
 */
final class StartedReports {

    private final Trigger trigger;
    private final WorkerProducer producer;
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> heartbeats;

    StartedReports(Trigger trigger, WorkerProducer producer) {
        this.trigger = trigger;
        this.producer = producer;
    }

    /** Sends the first STARTED report and, if the trigger asks for heartbeats, starts them on {@code scheduler}. */
    synchronized void start(ScheduledExecutorService scheduler) {
        if (stopped) {
            return;
        }
        send(null);
        Long timeoutMs = trigger.getHeartbeatTimeoutMs();
        if (timeoutMs != null && timeoutMs > 0) {
            long periodMs = Math.max(1, timeoutMs / 3);
            heartbeats = scheduler.scheduleAtFixedRate(() -> send(null), periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    /** A STARTED report carrying the handler's progress. */
    void progress(RunProgress progress) {
        send(progress);
    }

    synchronized void stop() {
        stopped = true;
        ScheduledFuture<?> beating = heartbeats;
        if (beating != null) {
            beating.cancel(false);
        }
    }

    private synchronized void send(RunProgress progress) {
        if (stopped) {
            return;
        }
        producer.report(RunStatus.newBuilder()
                .setRunId(trigger.getRunId())
                .setTreeId(trigger.getTreeId())
                .setAttempt(trigger.getAttempt())
                .setStatus(RunState.STARTED)
                .setReportedAt(Instant.now())
                .setProgress(progress)
                .build());
    }
}
