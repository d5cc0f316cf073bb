package dev.fanout.tree;

import dev.fanout.avro.CompensationOf;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.AdmissionGrant;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.tree.timer.Timers;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Sends triggers within a fan-out's {@code concurrency_limit}: a child gets a slot when one is free,
 * otherwise it waits in the queue store under {@code fanOutId|sequence}, and {@link #slotFreed}
 * releases waiting children in the order they were planned. A child keeps its slot while it waits for
 * a retry: it is still the fan-out's work in flight. A child WAITING for its dependencies
 * ({@link SiblingDependencies}) holds none: it comes here when they resolve.
 *
 * <p>Then the repository's own limit: a child of a repository with a {@code max_in_flight} takes its fan-out's
 * slot first and then waits in QUOTA_WAIT for the admission stage's grant ({@link Admission}). A compensation
 * run ({@link #send} directly) bypasses the quota: undoing work is not held back by the work it undoes.
 */
final class Releases {

    private final TreeState state;
    private final Outputs outputs;
    private final Timers timers;
    private final Admission admission;
    private final Triggers triggers;

    Releases(TreeState state, Outputs outputs, Timers timers, Admission admission, Triggers triggers) {
        this.triggers = triggers;
        this.state = state;
        this.outputs = outputs;
        this.timers = timers;
        this.admission = admission;
    }

    /** A planned child: triggered now if a slot is free, queued otherwise. Saves the run and fan-out. */
    void admit(FanOutNode fanOut, RunNode run, long nowMs) {
        admit(fanOut, run, null, nowMs);
    }

    /**
     * As {@link #admit(FanOutNode, RunNode, long)}, with the run's trigger already built for {@code nowMs} (to
     * measure it), sent as it is if the run is triggered now; null to build it when sent.
     */
    void admit(FanOutNode fanOut, RunNode run, Trigger built, long nowMs) {
        if (hasFreeSlot(fanOut)) {
            fanOut.setInFlight(fanOut.getInFlight() + 1);
            trigger(fanOut, run, built, nowMs);
        } else {
            NodeStateMachine.move(run, RunNodeStatus.QUEUED);
            state.save(run);
            long sequence = fanOut.getQueueTail();
            state.queued().put(StoreKeys.queued(fanOut.getFanOutId(), sequence), run.getRunId());
            fanOut.setQueueTail(sequence + 1);
            updateTree(fanOut, nowMs, 0, 1);
        }
        state.save(fanOut);
    }

    /** A child's own status ended: its slot goes to the first queued child, if any. Saves the fan-out. */
    void slotFreed(FanOutNode fanOut, long nowMs) {
        fanOut.setInFlight(fanOut.getInFlight() - 1);
        updateTree(fanOut, nowMs, -1, 0);
        while (hasFreeSlot(fanOut) && fanOut.getQueueHead() < fanOut.getQueueTail() && FanOutStateMachine.releases(fanOut)) {
            String key = StoreKeys.queued(fanOut.getFanOutId(), fanOut.getQueueHead());
            String runId = state.queued().delete(key);
            fanOut.setQueueHead(fanOut.getQueueHead() + 1);
            RunNode run = runId == null ? null : state.run(runId);
            if (run != null && run.getStatus() == RunNodeStatus.QUEUED) {
                fanOut.setInFlight(fanOut.getInFlight() + 1);
                updateTree(fanOut, nowMs, 0, -1);
                trigger(fanOut, run, nowMs);
            }
        }
        state.save(fanOut);
    }

    /**
     * Triggers a run that holds a slot: its first attempt, a release from the queue, or a retry. A run of a
     * repository with a {@code max_in_flight} first waits for the admission stage's grant, in QUOTA_WAIT,
     * holding its fan-out's slot meanwhile ({@link #granted} sends its trigger).
     */
    void trigger(FanOutNode fanOut, RunNode run, long nowMs) {
        trigger(fanOut, run, null, nowMs);
    }

    private void trigger(FanOutNode fanOut, RunNode run, Trigger built, long nowMs) {
        if (admission.limited(run.getRepo())) {
            NodeStateMachine.move(run, RunNodeStatus.QUOTA_WAIT);
            admission.request(run, nowMs);
            state.save(run);
        } else {
            send(fanOut, run, null, built, nowMs);
        }
        updateTree(fanOut, nowMs, 1, 0);
    }

    /**
     * The admission stage granted a run a slot of its repository: a run still in QUOTA_WAIT for that attempt
     * is triggered; a grant nobody waits for any more (the run was skipped, timed out, or its tree removed) is
     * given back at once. A grant for an attempt other than the one waiting changes nothing: the stage
     * released it when the newer request came.
     */
    void granted(AdmissionGrant grant, long nowMs) {
        RunNode run = state.run(grant.getRunId());
        if (run != null && run.getStatus() == RunNodeStatus.QUOTA_WAIT) {
            FanOutNode fanOut = state.fanOut(run.getFanOutId());
            if (run.getAttempt() == grant.getAttempt() && fanOut != null) {
                send(fanOut, run, null, null, nowMs);
            }
            return;
        }
        if (run == null || !run.getQuotaHeld()) {
            admission.release(grant.getRepo(), grant.getRunId(), grant.getTreeId(), grant.getAttempt(), nowMs);
        }
    }

    /**
     * The run gives its repository's slot back, or withdraws its request, if it asked for one: its attempt
     * ended, it stopped waiting in QUOTA_WAIT (skipped, timed out), or it is left running by a fan-out that
     * timed out. Saves the run.
     */
    void releaseQuota(RunNode run, long nowMs) {
        admission.releaseIfHeld(run, nowMs);
        state.save(run);
    }

    /**
     * A run in QUOTA_WAIT that its fan-out stops waiting for (fail_fast, a cancel): it gives its fan-out's slot
     * back without releasing another; the caller ends it, which withdraws its request.
     */
    void dropQuotaWait(FanOutNode fanOut, long nowMs) {
        fanOut.setInFlight(fanOut.getInFlight() - 1);
        state.save(fanOut);
        updateTree(fanOut, nowMs, -1, 0);
    }

    /**
     * Moves the run to TRIGGERED and writes its trigger, with its deadline and heartbeat timers; no slot or
     * counter moves here. A compensation run ({@code compensation} set) is sent this way directly.
     */
    void send(FanOutNode fanOut, RunNode run, CompensationOf compensation, long nowMs) {
        send(fanOut, run, compensation, null, nowMs);
    }

    private void send(FanOutNode fanOut, RunNode run, CompensationOf compensation, Trigger built, long nowMs) {
        NodeStateMachine.move(run, RunNodeStatus.TRIGGERED);
        run.setReportedAt(null); // heartbeats are per attempt
        if (run.getTriggeredAt() == null) {
            run.setTriggeredAt(nowMs);
        }
        state.save(run);
        Trigger trigger = built != null ? built : triggers.of(fanOut, run, nowMs);
        trigger.setCompensation(compensation);
        outputs.trigger(trigger, nowMs);
        if (trigger.getDeadline() != null) {
            timers.runTimeout(run.getTreeId(), run.getRunId(), run.getAttempt(), trigger.getDeadline().toEpochMilli());
        }
        if (run.getHeartbeatTimeoutMs() != null) {
            timers.heartbeat(run.getTreeId(), run.getRunId(), run.getAttempt(), nowMs + run.getHeartbeatTimeoutMs());
        }
    }

    /**
     * The run failed and has attempts left: it keeps its fan-out's slot and waits for its retry timer, but gives
     * its repository's slot back (a run waiting for its backoff holds none; it asks again when the timer fires).
     */
    void awaitRetry(FanOutNode fanOut, RunNode run, long dueMs, long nowMs) {
        NodeStateMachine.move(run, RunNodeStatus.QUEUED);
        admission.releaseIfHeld(run, nowMs);
        state.save(run);
        fanOut.setWaitingRetry(fanOut.getWaitingRetry() + 1);
        state.save(fanOut);
        timers.retry(run.getTreeId(), run.getRunId(), run.getAttempt(), dueMs);
        updateTree(fanOut, nowMs, -1, 1);
    }

    /** The retry timer fired: the next attempt is triggered in the slot the run kept. */
    void retry(FanOutNode fanOut, RunNode run, long nowMs) {
        fanOut.setWaitingRetry(fanOut.getWaitingRetry() - 1);
        state.save(fanOut);
        updateTree(fanOut, nowMs, 0, -1);
        trigger(fanOut, run, nowMs);
    }

    /**
     * Children released no more (the fan-out's timeout, fail_fast, a cancel): takes every child still in the
     * queue out of it and returns them, QUEUED, for the caller to end. The tree stops counting them as queued.
     */
    List<RunNode> takeQueued(FanOutNode fanOut, long nowMs) {
        List<RunNode> taken = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> queued = state.queued()
                .prefixScan(StoreKeys.fanOutPrefix(fanOut.getFanOutId()), Serdes.String().serializer())) {
            while (queued.hasNext()) {
                KeyValue<String, String> entry = queued.next();
                keys.add(entry.key);
                RunNode run = state.run(entry.value);
                if (run != null && run.getStatus() == RunNodeStatus.QUEUED) {
                    taken.add(run);
                }
            }
        }
        keys.forEach(state.queued()::delete);
        fanOut.setQueueHead(fanOut.getQueueTail());
        state.save(fanOut);
        updateTree(fanOut, nowMs, 0, -taken.size());
        return taken;
    }

    /**
     * The fan-out ended at once (its timeout): nothing it has in flight is counted as running or queued any
     * more; the runs are left as they are, and their reports are ignored from now on.
     */
    void abandonInFlight(FanOutNode fanOut, long nowMs) {
        long waiting = fanOut.getWaitingRetry();
        updateTree(fanOut, nowMs, -(fanOut.getInFlight() - waiting), -waiting);
        fanOut.setInFlight(0);
        fanOut.setWaitingRetry(0);
        state.save(fanOut);
    }

    /** A run waiting for its retry will not have one (a cancel): it gives its slot back without releasing another. */
    void dropRetry(FanOutNode fanOut, long nowMs) {
        fanOut.setInFlight(fanOut.getInFlight() - 1);
        fanOut.setWaitingRetry(fanOut.getWaitingRetry() - 1);
        state.save(fanOut);
        updateTree(fanOut, nowMs, 0, -1);
    }

    private static boolean hasFreeSlot(FanOutNode fanOut) {
        FanOutOptions options = fanOut.getEvent().getFanOut();
        Integer limit = options == null ? null : options.getConcurrencyLimit();
        return limit == null || limit <= 0 || fanOut.getInFlight() < limit;
    }

    private void updateTree(FanOutNode fanOut, long nowMs, long running, long queued) {
        if (running == 0 && queued == 0) {
            return;
        }
        TreeNode tree = state.tree(fanOut.getTreeId());
        if (tree != null) {
            tree.setRunning(Math.max(0, tree.getRunning() + running));
            tree.setQueued(Math.max(0, tree.getQueued() + queued));
            state.save(tree, nowMs);
        }
    }
}
