package dev.fanout.tree;

import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.PlannedChild;
import java.time.Instant;

/** The trigger of a child: what the worker needs, from the child and the fan-out it belongs to. */
final class Triggers {

    private Triggers() {
    }

    /**
     * @param now the plan record's timestamp (the event's), so that a replay computes the same deadline
     */
    static Trigger of(FanOutNode fanOut, PlannedChild child, long now) {
        Long timeout = child.getTimeoutMs();
        return Trigger.newBuilder()
                .setRunId(child.getRunId())
                .setTreeId(fanOut.getTreeId())
                .setParentRunId(fanOut.getParentRunId())
                .setFanOutId(fanOut.getFanOutId())
                .setSubscriptionId(child.getSubscriptionId())
                .setRepo(child.getRepo())
                .setWorkflow(child.getWorkflow())
                .setInputs(child.getInputs())
                .setItemIndex(child.getItemIndex())
                .setItem(child.getItem())
                .setAttempt(1)
                .setDeadline(timeout == null ? null : Instant.ofEpochMilli(now + timeout))
                .setDepth(fanOut.getChildDepth())
                .setPath(fanOut.getChildPath())
                .setEvent(fanOut.getEvent())
                .build();
    }
}
