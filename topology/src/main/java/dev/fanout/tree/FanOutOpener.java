package dev.fanout.tree;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.ParentRef;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.PlanOpened;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.deadletter.RejectedRecordException;
import dev.fanout.tree.timer.Timers;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a fan-out when its plan starts: a root event starts a tree; an event from a run is placed under
 * that run, which waits for it (unless told not to, or already done), one level deeper. Who waits for
 * the fan-out is decided here once: its parent run, or the tree itself.
 *
 * <p>A run whose final report listed the event in {@code emitted} before it opened is already waiting for
 * it (and counted it): it is done but for this fan-out, and waits for it without counting it again. If the
 * event turns out not to be one it waits for, it stops waiting.
 */
final class FanOutOpener {

    private static final Logger LOG = LoggerFactory.getLogger(FanOutOpener.class);

    private final TreeState state;
    private final Timers timers;
    private final TreeMetrics metrics;
    private final Completion completion;
    private Stops stops;

    /** Set once, after construction. */
    void stops(Stops stops) {
        this.stops = stops;
    }

    FanOutOpener(TreeState state, Timers timers, TreeMetrics metrics, Completion completion) {
        this.state = state;
        this.timers = timers;
        this.metrics = metrics;
        this.completion = completion;
    }

    void open(PlanRecord plan, PlanOpened opened, long nowMs) {
        FanOutNode known = state.fanOut(plan.getFanOutId());
        if (known != null && !isRefused(known)) {
            return; // a replayed plan
        }
        if (known != null) {
            forgetRefused(known, nowMs);
        }
        ArtifactEvent event = opened.getEvent();
        String expectedKey = StoreKeys.expectedFanOut(plan.getTreeId(), plan.getFanOutId());
        String expectedBy = state.expectedFanOuts().get(expectedKey);
        String stopsWaiting = expectedBy;
        FanOutNode.Builder fanOut = FanOutNode.newBuilder()
                .setFanOutId(plan.getFanOutId())
                .setTreeId(plan.getTreeId())
                .setOriginTopic(opened.getOriginTopic())
                .setOriginPartition(opened.getOriginPartition())
                .setOriginOffset(opened.getOriginOffset())
                .setCounts(new Counts())
                .setState(FanOutState.PLANNING)
                .setStartedAt(nowMs);
        ParentRef parent = event.getParent();
        TreeNode tree;
        if (parent == null) {
            fanOut.setParentRunId(null).setChildDepth(1).setChildPath(List.of()).setParentWaits(false).setOrdinal(0);
            tree = TreeNode.newBuilder().setTreeId(plan.getTreeId()).setArtifact(event.getArtifact())
                    .setStartedAt(nowMs).setCounts(new Counts()).build();
            state.treesByStart().put(StoreKeys.treeByStart(nowMs, tree.getTreeId()), tree.getTreeId());
        } else {
            RunNode parentRun = knownParent(parent, opened);
            tree = state.tree(plan.getTreeId());
            boolean expected = parentRun.getRunId().equals(expectedBy);
            // A run already done cannot wait any more: its fan-out is tracked by the tree alone.
            boolean waits = Completion.waitsForChildren(event.getFanOut()) && (expected || !parentRun.getDone());
            fanOut.setParentRunId(parentRun.getRunId())
                    .setChildDepth(parentRun.getDepth() + 1)
                    .setChildPath(Lineage.childPath(parentRun.getPath(), parentRun.getRepo(), parentRun.getWorkflow()))
                    .setParentWaits(waits)
                    .setOrdinal(parentRun.getFanOutsOpened());
            parentRun.setFanOutsOpened(parentRun.getFanOutsOpened() + 1);
            if (waits && expected) {
                stopsWaiting = null; // counted when its report listed it
            } else if (waits) {
                parentRun.setOpenFanOuts(parentRun.getOpenFanOuts() + 1);
            }
            state.save(parentRun);
            if (tree.getDone()) {
                LOG.warn("event {} fans out in tree {}, which is already done; its children run, the tree's "
                        + "TreeDone is not sent again", event.getEventId(), tree.getTreeId());
            }
        }
        // Written once the event is known to be accepted (its parent checked above).
        FanOutNode node = fanOut.setEvent(state.keepPayloadApart(plan.getFanOutId(), event)).setPayloadApart(true).build();
        if (!node.getParentWaits()) {
            tree.setOpenFanOuts(tree.getOpenFanOuts() + 1);
        }
        tree.setFanOutsInFlight(tree.getFanOutsInFlight() + 1);
        state.childFanOuts().put(StoreKeys.childFanOut(node.getTreeId(), node.getParentRunId(), node.getOrdinal()),
                node.getFanOutId());
        state.save(tree, nowMs);
        state.save(node);
        if (tree.getCancelled() != null) {
            stops.cancelledAtOpen(node); // emitted by a run of a cancelled tree
        }
        if (parent == null) {
            metrics.treeStarted(node.getTreeId());
        }
        metrics.fanOutStarted(node.getFanOutId());
        FanOutOptions options = event.getFanOut();
        if (options != null && options.getTimeoutMs() != null) {
            timers.fanOutTimeout(node.getTreeId(), node.getFanOutId(), nowMs + options.getTimeoutMs());
        }
        if (expectedBy != null) {
            state.expectedFanOuts().delete(expectedKey);
        }
        if (stopsWaiting != null) {
            // Listed, but not a fan-out the listing run waits for (wait_for_children: false, or another parent).
            // Last, once this fan-out is counted by the tree, so the tree cannot finish without it.
            completion.parentFanOutDone(stopsWaiting, nowMs);
        }
    }

    /** Refused by the matcher (too wide): it ended at once, FAILED, with no child. */
    private static boolean isRefused(FanOutNode fanOut) {
        return fanOut.getRefusedReason() != null && FanOutStateMachine.isFinished(fanOut) && fanOut.getChildren() == 0;
    }

    /**
     * The event of a refused fan-out was sent again and planned (the matcher does not remember refused
     * events): the refusal is replaced by the new fan-out. Its FanOutDone (and, for a root event, its
     * tree's TreeDone) said FAILED with the reason; the new one finishes with FanOutDone and TreeDone of
     * its own. It had no child and left no counter open, so forgetting it is undoing its failure.
     */
    private void forgetRefused(FanOutNode refused, long nowMs) {
        state.childFanOuts().delete(StoreKeys.childFanOut(refused.getTreeId(), refused.getParentRunId(),
                refused.getOrdinal()));
        TreeNode tree = state.tree(refused.getTreeId());
        if (refused.getParentRunId() == null) {
            state.treesByStart().delete(StoreKeys.treeByStart(tree.getStartedAt(), tree.getTreeId()));
            state.deleteTree(tree.getTreeId()); // opened afresh below
        } else {
            tree.setFailedFanOuts(Math.max(0, tree.getFailedFanOuts() - 1));
            state.save(tree, nowMs);
        }
        state.deleteFanOut(refused.getFanOutId());
        LOG.info("event {} of tree {} was refused before ({}) and is planned now", refused.getFanOutId(),
                refused.getTreeId(), refused.getRefusedReason());
    }

    private RunNode knownParent(ParentRef parent, PlanOpened opened) {
        RunNode parentRun = state.run(parent.getRunId());
        if (parentRun == null || !parentRun.getTreeId().equals(parent.getTreeId())) {
            ArtifactEvent event = opened.getEvent();
            throw new RejectedRecordException("event " + event.getEventId() + " names parent run "
                    + parent.getRunId() + " of tree " + parent.getTreeId() + ", which Fanout does not know; "
                    + "set parent only on events emitted by a run, from its trigger's run_id and tree_id",
                    new RejectedRecordException.Origin(opened.getOriginTopic(), opened.getOriginPartition(),
                            opened.getOriginOffset()));
        }
        return parentRun;
    }
}
