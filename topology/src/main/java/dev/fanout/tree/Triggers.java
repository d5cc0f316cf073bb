package dev.fanout.tree;

import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import java.time.Instant;

/** The trigger of a run: what the worker needs, from the run node and the fan-out it belongs to. */
final class Triggers {

    private Triggers() {
    }

    /**
     * @param now when the run is triggered, by the coordinator's wall clock (never a record's timestamp):
     *     the deadline counts from it
     */
    static Trigger of(FanOutNode fanOut, RunNode run, long now) {
        Long timeout = run.getTimeoutMs();
        return Trigger.newBuilder()
                .setRunId(run.getRunId())
                .setTreeId(fanOut.getTreeId())
                .setParentRunId(fanOut.getParentRunId())
                .setFanOutId(fanOut.getFanOutId())
                .setSubscriptionId(run.getSubscriptionId())
                .setRepo(run.getRepo())
                .setWorkflow(run.getWorkflow())
                .setInputs(run.getInputs())
                .setItemIndex(run.getItemIndex())
                .setItem(run.getItem())
                .setAttempt(run.getAttempt())
                .setDeadline(timeout == null ? null : Instant.ofEpochMilli(now + timeout))
                .setDepth(fanOut.getChildDepth())
                .setPath(fanOut.getChildPath())
                .setEvent(fanOut.getEvent())
                .setHeartbeatTimeoutMs(run.getHeartbeatTimeoutMs())
                .build();
    }
}
