package dev.fanout.tree;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.PlanOpened;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.PlanSealed;
import dev.fanout.avro.internal.PlannedChild;
import dev.fanout.avro.internal.PlannedChildren;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.RecordBudget;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the matcher's plans to the trees: the opening ({@link FanOutOpener}), a run node per child
 * (admitted within the concurrency limit, waiting for its dependencies, or skipped), the children arriving a
 * hundred to a record (one at a time from Fanout 0.1.0), and the seal, after which dependencies resolve
 * ({@link SiblingDependencies}) and the fan-out may finish.
 *
 * <p>Idempotent by identity: a fan-out or run id already known is a replay and changes nothing, so a
 * plan delivered twice triggers nothing twice.
 */
final class PlanApplier {

    private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);

    private final TreeState state;
    private final Lineage lineage;
    private final Releases releases;
    private final Completion completion;
    private final FanOutOpener opener;
    private final SiblingDependencies dependencies;
    private final Stops stops;
    private final RecordBudget budget;
    private final Triggers triggers;
    /** The event {@link #eventSize} measures: {@link Triggers} gives a fan-out's children one event object. */
    private ArtifactEvent sizedEvent;
    private long eventSize;

    PlanApplier(TreeState state, Lineage lineage, Releases releases, Completion completion, FanOutOpener opener,
            SiblingDependencies dependencies, Stops stops, RecordBudget budget, Triggers triggers) {
        this.triggers = triggers;
        this.dependencies = dependencies;
        this.stops = stops;
        this.budget = budget;
        this.state = state;
        this.lineage = lineage;
        this.releases = releases;
        this.completion = completion;
        this.opener = opener;
    }

    void apply(PlanRecord plan, long nowMs) {
        Object step = plan.getStep();
        if (step instanceof PlanOpened opened) {
            opener.open(plan, opened, nowMs);
        } else if (step instanceof PlannedChildren children) {
            knownFanOut(plan).ifPresent(fanOut -> children.getChildren().forEach(child -> addChild(fanOut, child, nowMs)));
        } else if (step instanceof PlannedChild child) {
            knownFanOut(plan).ifPresent(fanOut -> addChild(fanOut, child, nowMs));
        } else if (step instanceof PlanSealed sealed) {
            knownFanOut(plan).ifPresent(fanOut -> seal(fanOut, sealed, nowMs));
        } else {
            throw new IllegalStateException("unknown plan step " + step);
        }
    }

    private Optional<FanOutNode> knownFanOut(PlanRecord plan) {
        FanOutNode fanOut = state.fanOut(plan.getFanOutId());
        if (fanOut == null) {
            // Its opening was refused (and dead-lettered): the rest of that plan has nowhere to go.
            LOG.debug("ignoring the plan of refused fan-out {} of tree {}", plan.getFanOutId(), plan.getTreeId());
        }
        return Optional.ofNullable(fanOut);
    }

    private void addChild(FanOutNode fanOut, PlannedChild child, long nowMs) {
        if (state.run(child.getRunId()) != null || FanOutStateMachine.isSealed(fanOut)) {
            return; // a replayed child
        }
        Optional<String> skipped = lineage.skipReason(fanOut, child);
        RunNode run = RunNode.newBuilder()
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
                .setStatus(RunNodeStatus.PLANNED)
                .setInputs(child.getInputs())
                .setItem(child.getItem())
                .setTimeoutMs(child.getTimeoutMs())
                .setRetry(child.getRetry())
                .setHeartbeatTimeoutMs(child.getHeartbeatTimeoutMs())
                .setDependsOn(child.getDependsOn())
                .setCompensateWorkflow(child.getCompensateWorkflow())
                .setPayloadOmitted(child.getPayloadOmitted())
                .build();
        if (child.getDependsOn() != null || child.getCompensateWorkflow() != null) {
            fanOut.setHasDependencies(true);
        }
        state.children().put(StoreKeys.child(fanOut.getTreeId(), fanOut.getParentRunId(), fanOut.getOrdinal(),
                child.getItemIndex(), child.getSubscriptionId()), child.getRunId());
        fanOut.setPlanned(fanOut.getPlanned() + 1);
        fanOut.getCounts().setTotal(fanOut.getCounts().getTotal() + 1);
        TreeNode tree = state.tree(fanOut.getTreeId());
        tree.getCounts().setTotal(tree.getCounts().getTotal() + 1);
        state.save(tree, nowMs);
        if (skipped.isPresent()) {
            NodeStateMachine.move(run, RunNodeStatus.SKIPPED);
            run.setReason(skipped.get());
            run.setFinishedAt(nowMs);
            state.save(run);
            fanOut.setSkipped(fanOut.getSkipped() + 1);
            completion.skipped(fanOut, run, nowMs);
        } else if (!FanOutStateMachine.countsChildren(fanOut)) {
            // It ended (its timeout) before planning was over: counted, never triggered.
            NodeStateMachine.move(run, RunNodeStatus.QUEUED);
            NodeStateMachine.move(run, RunNodeStatus.TIMED_OUT);
            run.setReason(EndReason.FAN_OUT_TIMEOUT.text());
            run.setFinishedAt(nowMs);
            state.save(run);
            state.save(fanOut);
        } else if (!FanOutStateMachine.releases(fanOut)) {
            // Draining (fail_fast, a cancel): nothing more is released.
            NodeStateMachine.move(run, RunNodeStatus.SKIPPED);
            run.setReason(stops.reasonOf(fanOut));
            run.setFinishedAt(nowMs);
            state.save(run);
            fanOut.setSkipped(fanOut.getSkipped() + 1);
            completion.skipped(fanOut, run, nowMs);
        } else {
            // Built once: measured here, and sent as it is if the child is triggered now.
            Trigger trigger = triggers.of(fanOut, run, nowMs);
            long size = triggerSize(trigger);
            if (size > budget.bytes()) {
                NodeStateMachine.move(run, RunNodeStatus.FAILED);
                completion.untriggerable(fanOut, run, "the trigger of run " + run.getRunId() + " (subscription "
                        + run.getSubscriptionId() + ") would be about " + size + " bytes, over the " + budget.bytes()
                        + "-byte record budget (from max.request.size and max.message.bytes): make the subscription's "
                        + "inputs or the event's payload smaller", nowMs);
            } else if (child.getDependsOn() != null) {
                dependencies.await(fanOut, run);
            } else {
                fanOut.setTriggered(fanOut.getTriggered() + 1);
                releases.admit(fanOut, run, trigger, nowMs);
            }
        }
    }

    /**
     * An upper bound of the child's trigger size. Every trigger of a fan-out carries its event (whole, or
     * without what a foreach list is read from), the same object for each child ({@link Triggers} builds it
     * once per fan-out and omission), so the event is measured when it changes, not once per child.
     */
    private long triggerSize(Trigger trigger) {
        ArtifactEvent event = trigger.getEvent();
        if (event != sizedEvent) {
            sizedEvent = event;
            eventSize = RecordBudget.sizeOf(event);
        }
        trigger.setEvent(null); // counted above
        long size = RecordBudget.sizeOf(trigger) + eventSize;
        trigger.setEvent(event);
        return size;
    }

    /**
     * The matcher planned more children than reached the tree: a plan record of them could not be written
     * (it went to the dead letters). They are counted, as failed, and the fan-out fails saying so, rather
     * than succeeding with children missing.
     */
    private void countMissing(FanOutNode fanOut, long missing, int planned, long nowMs) {
        LOG.warn("fan-out {} of tree {}: {} of its {} planned children never reached the tree", fanOut.getFanOutId(),
                fanOut.getTreeId(), missing, planned);
        fanOut.setRefusedReason(missing + " of " + planned + " planned children never reached the tree: a plan "
                + "record could not be written (see the dead letters for the event " + fanOut.getFanOutId() + ")");
        fanOut.getCounts().setTotal(fanOut.getCounts().getTotal() + missing);
        fanOut.getCounts().setFailed(fanOut.getCounts().getFailed() + missing);
        TreeNode tree = state.tree(fanOut.getTreeId());
        tree.getCounts().setTotal(tree.getCounts().getTotal() + missing);
        tree.getCounts().setFailed(tree.getCounts().getFailed() + missing);
        state.save(tree, nowMs);
    }

    private void seal(FanOutNode fanOut, PlanSealed sealed, long nowMs) {
        if (FanOutStateMachine.isSealed(fanOut)) {
            return;
        }
        fanOut.setSealedAt(nowMs);
        if (FanOutStateMachine.of(fanOut) == FanOutState.PLANNING) {
            FanOutStateMachine.move(fanOut, FanOutState.RUNNING);
        }
        fanOut.setRefusedReason(sealed.getRefusedReason());
        fanOut.setChildren(fanOut.getPlanned());
        long missing = sealed.getChildren() - fanOut.getPlanned();
        if (missing > 0 && sealed.getRefusedReason() == null) {
            countMissing(fanOut, missing, sealed.getChildren(), nowMs);
        }
        state.save(fanOut);
        if (fanOut.getParentRunId() != null && !Completion.waitsForChildren(fanOut.getEvent().getFanOut())
                && FanOutStateMachine.countsChildren(fanOut)) {
            completion.sendEarlyDone(fanOut, nowMs);
        }
        if (fanOut.getHasDependencies()) {
            dependencies.sealed(fanOut, nowMs);
        }
        completion.finishIfDone(fanOut, nowMs);
    }
}
