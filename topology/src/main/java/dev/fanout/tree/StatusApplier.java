package dev.fanout.tree;

import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import java.util.LinkedHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies workers' reports to their run nodes. Only a report on the current attempt of a run a worker
 * is on (TRIGGERED or RUNNING) moves anything: duplicates, older attempts, reports on runs that have
 * ended and on unknown runs change nothing, which is what makes at-least-once workers safe.
 *
 * <p>A final report lists in {@code emitted} the events the attempt emitted and waits for. Those events
 * travel through the matcher, the report does not, so the report often arrives first: the run then waits
 * for each listed fan-out that has not opened yet, recorded in {@code tree.expected-fan-outs} for
 * {@link FanOutOpener} to find when it opens. Listed fan-outs already open were counted when they opened.
 */
final class StatusApplier {

    private static final Logger LOG = LoggerFactory.getLogger(StatusApplier.class);

    private final TreeState state;
    private final Outcomes outcomes;
    private final Attempts attempts;
    private final Heartbeats heartbeats;

    StatusApplier(TreeState state, Outcomes outcomes, Attempts attempts, Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
        this.state = state;
        this.outcomes = outcomes;
        this.attempts = attempts;
    }

    void apply(RunStatus status, long nowMs) {
        RunNode run = state.run(status.getRunId());
        if (run == null || !run.getTreeId().equals(status.getTreeId())) {
            // Unknown, or its tree was removed after fanout.tree.retention.ms: workers report at least once,
            // so a late report is expected and is not a bad record (no dead letter).
            LOG.debug("ignoring status of unknown run {} of tree {} (never planned, or its tree was removed)",
                    status.getRunId(), status.getTreeId());
            return;
        }
        if (status.getAttempt() != run.getAttempt() || !NodeStateMachine.isActive(run.getStatus())) {
            return; // a duplicate, or a stale attempt, or a run that has ended
        }
        FanOutNode fanOut = state.fanOut(run.getFanOutId());
        if (!Attempts.accepts(fanOut, run)) {
            return; // its fan-out timed out (the run was counted as timed out), or has finished
        }
        switch (status.getStatus()) {
            case STARTED -> started(run, status, nowMs);
            case SUCCEEDED -> {
                String refusal = outcomes.outputRefusal(status.getOutput());
                if (refusal != null) {
                    // An output the pipeline cannot carry fails its run, for good (the same run would return
                    // it again), rather than vanishing from a run that says it succeeded.
                    failed(fanOut, run, RunStatus.newBuilder(status).setStatus(RunState.FAILED).setOutput(null)
                            .setError(refusal).setRetryable(false).build(), nowMs);
                    return;
                }
                expectEmitted(run, status);
                attempts.end(fanOut, run, ChildStatus.SUCCEEDED, status.getOutput(), null, nowMs);
            }
            case FAILED -> failed(fanOut, run, status, nowMs);
        }
    }

    /** The run ends with this report: it waits for each event it listed whose fan-out has not opened yet. */
    private void expectEmitted(RunNode run, RunStatus status) {
        if (status.getEmitted() == null || run.getCompensates() != null) {
            return;
        }
        for (String eventId : new LinkedHashSet<>(status.getEmitted())) {
            FanOutNode opened = state.fanOut(eventId);
            if (opened != null) {
                if (!opened.getTreeId().equals(run.getTreeId())) {
                    LOG.warn("run {} of tree {} lists emitted event {}, which opened a fan-out of tree {}; not waiting "
                            + "for it (an event id names one event only)", run.getRunId(), run.getTreeId(), eventId,
                            opened.getTreeId());
                }
                continue; // open already: it was counted when it opened, if the run waits for it
            }
            String key = StoreKeys.expectedFanOut(run.getTreeId(), eventId);
            if (state.expectedFanOuts().get(key) != null) {
                continue; // another run listed it first
            }
            state.expectedFanOuts().put(key, run.getRunId());
            run.setOpenFanOuts(run.getOpenFanOuts() + 1);
        }
    }

    /**
     * The attempt runs; each STARTED report is also a heartbeat and may carry progress. A report that only moves
     * the run to RUNNING is kept aside rather than saved ({@link TreeState#started}): its outcome usually follows
     * within the same commit and is written with it.
     */
    private void started(RunNode run, RunStatus status, long nowMs) {
        boolean changesMore = run.getHeartbeatTimeoutMs() != null || status.getProgress() != null;
        if (run.getStatus() == RunNodeStatus.TRIGGERED && !changesMore) {
            state.started(run);
            return;
        }
        boolean saves = run.getStatus() == RunNodeStatus.TRIGGERED || changesMore;
        if (run.getStatus() == RunNodeStatus.TRIGGERED) {
            NodeStateMachine.move(run, RunNodeStatus.RUNNING);
        }
        heartbeats.reported(run, status, nowMs);
        if (saves) {
            state.save(run);
        }
    }

    /** The attempt failed: another attempt, or the run's end ({@link Attempts} decides). */
    private void failed(FanOutNode fanOut, RunNode run, RunStatus status, long nowMs) {
        if (!attempts.retry(fanOut, run, status.getError(), status.getRetryable(), nowMs)) {
            expectEmitted(run, status);
            attempts.end(fanOut, run, ChildStatus.FAILED, status.getOutput(), status.getError(), nowMs);
        }
    }
}
