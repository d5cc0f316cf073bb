package dev.fanout.worker;

import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a run on a pool thread: STARTED (then heartbeats and progress while the handler runs, see
 * {@link StartedReports}), the handler, then exactly one final report (SUCCEEDED
 * or FAILED), whoever sends it first: the handler's outcome or the shutdown that gave up waiting for it.
 * {@link #finished} completes once the final report is on the broker, or was given up (worker halted).
 *
 * <p>Cancellation: a run already known cancelled is reported FAILED, not retryable, without STARTED and
 * without its handler; a run cancelled while its handler runs is told ({@link Run#cancelled()},
 * {@link Run#onCancel}), and unless its handler then returns a success it is reported FAILED, not
 * retryable, {@code cancelled: <reason>}.
 */
final class RunExecution implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
    private static final int MAX_ERROR_CHARS = 4000;

    private final Trigger trigger;
    private final RunHandler handler;
    private final RunContext context;
    private final WorkerProducer producer;
    private final StartedReports started;
    private final ScheduledExecutorService heartbeats;
    private final RecentCancellations cancellations;
    private final AtomicBoolean reported = new AtomicBoolean();
    private final CompletableFuture<Boolean> finished = new CompletableFuture<>();
    private volatile boolean halted;

    RunExecution(Trigger trigger, RunHandler handler, RunContext context, WorkerProducer producer,
            StartedReports started, ScheduledExecutorService heartbeats, RecentCancellations cancellations) {
        this.cancellations = cancellations;
        this.started = started;
        this.heartbeats = heartbeats;
        this.trigger = trigger;
        this.handler = handler;
        this.context = context;
        this.producer = producer;
    }

    /** Completes with true once the final status is written, false if it never will be. */
    CompletableFuture<Boolean> finished() {
        return finished;
    }

    @Override
    public void run() {
        if (halted) {
            return;
        }
        try (RecentCancellations.Watch watch = cancellations.watch(trigger.getRunId(), context::cancel)) {
            Optional<RunCancellation> before = context.cancellation();
            if (before.isPresent()) {
                LOG.info("run {} attempt {} was cancelled before it started; reporting it FAILED without running it",
                        trigger.getRunId(), trigger.getAttempt());
                reportFinal(RunResult.failed(cancelled(before.get(), null), false));
                return;
            }
            RunResult result = execute();
            Optional<RunCancellation> after = context.cancellation();
            reportFinal(after.isPresent() && !result.successful()
                    ? RunResult.failed(cancelled(after.get(), result.error()), false) : result);
        }
    }

    /** The error of a cancelled run: {@code cancelled: <reason>}, then what the handler said, if it failed. */
    static String cancelled(RunCancellation cancellation, String handlerError) {
        String reason = cancellation.getReason() != null && !cancellation.getReason().isBlank() ? cancellation.getReason()
                : "tree " + cancellation.getTreeId() + " was cancelled";
        String error = "cancelled: " + reason + (handlerError == null ? "" : "; the handler ended with: " + handlerError);
        return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS) + "...";
    }

    private RunResult execute() {
        RunResult result;
        try {
            started.start(heartbeats);
            result = handler.handle(context);
            if (result == null) {
                result = RunResult.failed("the handler of " + trigger.getRepo() + "/" + trigger.getWorkflow()
                        + " returned null; return RunResult.succeeded(...) or RunResult.failed(...)", false);
            }
        } catch (NonRetryableException e) {
            result = RunResult.failed(describe(e), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = RunResult.failed("the run was interrupted: " + e.getMessage(), true);
        } catch (Throwable e) {
            result = RunResult.failed(describe(e), true);
        }
        return result;
    }

    /** The shutdown's report for a run still going at the end of the grace period. */
    void abandon(String reason) {
        reportFinal(RunResult.failed(reason, true));
    }

    /** A crash, as far as the broker can tell: nothing more is reported for this run. */
    void halt() {
        halted = true;
        started.stop();
        if (reported.compareAndSet(false, true)) {
            finished.complete(false);
        }
    }

    private void reportFinal(RunResult result) {
        if (halted || !reported.compareAndSet(false, true)) {
            return;
        }
        started.stop();
        RunStatus.Builder status = result.successful()
                ? status(RunState.SUCCEEDED, result.output(), null, true)
                : status(RunState.FAILED, null, result.error(), result.retryable());
        // The events it published may reach the coordinator after this report: listed, they are waited for.
        status.setEmitted(context.emitted());
        try {
            producer.reportAndWait(status.build());
            finished.complete(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("interrupted while reporting run {} attempt {}; it stays uncommitted and is delivered again",
                    trigger.getRunId(), trigger.getAttempt());
            finished.complete(false);
        } catch (RuntimeException e) {
            LOG.error("could not report run {} attempt {}; it stays uncommitted and is delivered again",
                    trigger.getRunId(), trigger.getAttempt(), e);
            finished.complete(false);
        }
    }

    private RunStatus.Builder status(RunState state, String output, String error, boolean retryable) {
        return RunStatus.newBuilder()
                .setRunId(trigger.getRunId())
                .setTreeId(trigger.getTreeId())
                .setAttempt(trigger.getAttempt())
                .setStatus(state)
                .setOutput(output)
                .setError(error)
                .setRetryable(retryable)
                .setReportedAt(Instant.now());
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e instanceof NonRetryableException ? String.valueOf(e.getMessage()) : e.toString());
        for (Throwable cause = e.getCause(); cause != null && text.length() < MAX_ERROR_CHARS; cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.length() <= MAX_ERROR_CHARS ? text.toString() : text.substring(0, MAX_ERROR_CHARS) + "...";
    }
}
