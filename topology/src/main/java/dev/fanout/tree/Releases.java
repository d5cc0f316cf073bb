package dev.fanout.tree;

import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.TreeNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Sends triggers within a fan-out's {@code concurrency_limit}: a child gets a slot when one is free,
 * otherwise it waits in the queue store under {@code fanOutId|sequence}, and {@link #slotFreed}
 * releases waiting children in the order they were planned. A child keeps its slot while it waits for
 * a retry: it is still the fan-out's work in flight.
 */
final class Releases {

    private final TreeState state;
    private final Outputs outputs;
    private final Timers timers;

    Releases(TreeState state, Outputs outputs, Timers timers) {
        this.state = state;
        this.outputs = outputs;
        this.timers = timers;
    }

    /** A planned child: triggered now if a slot is free, queued otherwise. Saves the run and fan-out. */
    void admit(FanOutNode fanOut, RunNode run, long nowMs) {
        if (hasFreeSlot(fanOut)) {
            fanOut.setInFlight(fanOut.getInFlight() + 1);
            trigger(fanOut, run, nowMs);
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
        while (hasFreeSlot(fanOut) && fanOut.getQueueHead() < fanOut.getQueueTail() && !fanOut.getFinished()) {
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

    /** Triggers a run that holds a slot: its first attempt, a release from the queue, or a retry. */
    void trigger(FanOutNode fanOut, RunNode run, long nowMs) {
        NodeStateMachine.move(run, RunNodeStatus.TRIGGERED);
        run.setReportedAt(null); // heartbeats are per attempt
        if (run.getTriggeredAt() == null) {
            run.setTriggeredAt(nowMs);
        }
        state.save(run);
        Trigger trigger = Triggers.of(fanOut, run, nowMs);
        outputs.trigger(trigger, nowMs);
        updateTree(fanOut, nowMs, 1, 0);
        if (trigger.getDeadline() != null) {
            timers.runTimeout(run.getTreeId(), run.getRunId(), run.getAttempt(), trigger.getDeadline().toEpochMilli());
        }
        if (run.getHeartbeatTimeoutMs() != null) {
            timers.heartbeat(run.getTreeId(), run.getRunId(), run.getAttempt(), nowMs + run.getHeartbeatTimeoutMs());
        }
    }

    /** The run failed and has attempts left: it keeps its slot and waits for its retry timer. */
    void awaitRetry(FanOutNode fanOut, RunNode run, long dueMs, long nowMs) {
        NodeStateMachine.move(run, RunNodeStatus.QUEUED);
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
     * The fan-out ended early (its timeout): children still queued will never run and are timed out;
     * the tree stops counting its children as running or queued. Saves the fan-out.
     */
    void abandon(FanOutNode fanOut, long nowMs) {
        dropQueued(fanOut, nowMs);
        long waiting = fanOut.getWaitingRetry();
        updateTree(fanOut, nowMs, -(fanOut.getInFlight() - waiting), -waiting);
        fanOut.setInFlight(0);
        fanOut.setWaitingRetry(0);
        state.save(fanOut);
    }

    private void dropQueued(FanOutNode fanOut, long nowMs) {
        long dropped = 0;
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> queued = state.queued()
                .prefixScan(StoreKeys.fanOutPrefix(fanOut.getFanOutId()), Serdes.String().serializer())) {
            while (queued.hasNext()) {
                KeyValue<String, String> entry = queued.next();
                keys.add(entry.key);
                RunNode run = state.run(entry.value);
                if (run != null && run.getStatus() == RunNodeStatus.QUEUED) {
                    NodeStateMachine.move(run, RunNodeStatus.TIMED_OUT);
                    run.setReason("fan-out timeout");
                    run.setFinishedAt(nowMs);
                    state.save(run);
                    dropped++;
                }
            }
        }
        keys.forEach(state.queued()::delete);
        fanOut.setQueueHead(fanOut.getQueueTail());
        updateTree(fanOut, nowMs, 0, -dropped);
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
