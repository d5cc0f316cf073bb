package dev.fanout.tree;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.ParentRef;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.PlanOpened;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.PlanSealed;
import dev.fanout.avro.internal.PlannedChild;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.config.TopologyNames;
import dev.fanout.deadletter.RejectedRecordException;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the matcher's plans to the trees: a fan-out node when a plan opens (placed under its parent
 * run), a run node per child, a trigger per child that may run, and the seal.
 *
 * <p>Idempotent by identity: a fan-out or run id already known is a replay and changes nothing, so a
 * plan delivered twice triggers nothing twice. The later coordinator grows here (statuses, counts,
 * FanOutDone/TreeDone) on the same two stores.
 */
final class PlanApplier implements Processor<String, PlanRecord, String, Trigger> {

    private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);

    private final Lineage lineage;
    private ProcessorContext<String, Trigger> context;
    private KeyValueStore<String, RunNode> runs;
    private KeyValueStore<String, FanOutNode> fanOuts;

    PlanApplier(Lineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public void init(ProcessorContext<String, Trigger> context) {
        this.context = context;
        this.runs = context.getStateStore(TopologyNames.TREE_RUNS);
        this.fanOuts = context.getStateStore(TopologyNames.TREE_FAN_OUTS);
    }

    @Override
    public void process(Record<String, PlanRecord> record) {
        PlanRecord plan = record.value();
        Object step = plan.getStep();
        if (step instanceof PlanOpened opened) {
            open(plan, opened);
        } else if (step instanceof PlannedChild child) {
            knownFanOut(plan).ifPresent(fanOut -> addChild(fanOut, child, record.timestamp()));
        } else if (step instanceof PlanSealed sealed) {
            knownFanOut(plan).ifPresent(fanOut -> seal(fanOut, sealed));
        } else {
            throw new IllegalStateException("unknown plan step " + step);
        }
    }

    private void open(PlanRecord plan, PlanOpened opened) {
        if (fanOuts.get(plan.getFanOutId()) != null) {
            return; // a replayed plan
        }
        ArtifactEvent event = opened.getEvent();
        ParentRef parent = event.getParent();
        FanOutNode.Builder fanOut = FanOutNode.newBuilder()
                .setFanOutId(plan.getFanOutId())
                .setTreeId(plan.getTreeId())
                .setEvent(event);
        if (parent == null) {
            fanOut.setParentRunId(null).setChildDepth(1).setChildPath(List.of());
        } else {
            RunNode parentRun = runs.get(parent.getRunId());
            if (parentRun == null || !parentRun.getTreeId().equals(parent.getTreeId())) {
                throw new RejectedRecordException("event " + event.getEventId() + " names parent run "
                        + parent.getRunId() + " of tree " + parent.getTreeId() + ", which Fanout does not know; "
                        + "set parent only on events emitted by a run, from its trigger's run_id and tree_id",
                        new RejectedRecordException.Origin(opened.getOriginTopic(), opened.getOriginPartition(),
                                opened.getOriginOffset()));
            }
            fanOut.setParentRunId(parentRun.getRunId())
                    .setChildDepth(parentRun.getDepth() + 1)
                    .setChildPath(Lineage.childPath(parentRun.getPath(), parentRun.getRepo(), parentRun.getWorkflow()));
        }
        fanOuts.put(plan.getFanOutId(), fanOut.build());
    }

    private Optional<FanOutNode> knownFanOut(PlanRecord plan) {
        FanOutNode fanOut = fanOuts.get(plan.getFanOutId());
        if (fanOut == null) {
            // Its opening was refused (and dead-lettered): the rest of that plan has nowhere to go.
            LOG.debug("ignoring the plan of refused fan-out {} of tree {}", plan.getFanOutId(), plan.getTreeId());
        }
        return Optional.ofNullable(fanOut);
    }

    private void addChild(FanOutNode fanOut, PlannedChild child, long timestamp) {
        if (runs.get(child.getRunId()) != null) {
            return; // a replayed child
        }
        Optional<String> skipped = lineage.skipReason(fanOut, child);
        runs.put(child.getRunId(), RunNode.newBuilder()
                .setRunId(child.getRunId())
                .setTreeId(fanOut.getTreeId())
                .setFanOutId(fanOut.getFanOutId())
                .setParentRunId(fanOut.getParentRunId())
                .setSubscriptionId(child.getSubscriptionId())
                .setRepo(child.getRepo())
                .setWorkflow(child.getWorkflow())
                .setItemIndex(child.getItemIndex())
                .setDepth(fanOut.getChildDepth())
                .setPath(fanOut.getChildPath())
                .setStatus(skipped.isPresent() ? RunNodeStatus.SKIPPED : RunNodeStatus.TRIGGERED)
                .setReason(skipped.orElse(null))
                .build());
        fanOut.setPlanned(fanOut.getPlanned() + 1);
        if (skipped.isPresent()) {
            fanOut.setSkipped(fanOut.getSkipped() + 1);
        } else {
            fanOut.setTriggered(fanOut.getTriggered() + 1);
        }
        fanOuts.put(fanOut.getFanOutId(), fanOut);
        if (skipped.isEmpty()) {
            Trigger trigger = Triggers.of(fanOut, child, timestamp);
            context.forward(new Record<>(trigger.getRepo(), trigger, timestamp));
        }
    }

    private void seal(FanOutNode fanOut, PlanSealed sealed) {
        if (fanOut.getSealed()) {
            return;
        }
        fanOut.setSealed(true);
        fanOut.setRefusedReason(sealed.getRefusedReason());
        fanOuts.put(fanOut.getFanOutId(), fanOut);
    }
}
