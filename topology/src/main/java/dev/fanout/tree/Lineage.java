package dev.fanout.tree;

import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.PlannedChild;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a child sits in its tree and whether it may run there: not when its {@code repo/workflow} is
 * already an ancestor (a cycle would trigger itself forever), not deeper than the depth cap.
 */
final class Lineage {

    static final String CYCLE = EndReason.LINEAGE_CYCLE.text();
    static final String DEPTH = EndReason.MAX_DEPTH.text();

    private final int maxDepth;

    Lineage(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /** Why the child is not triggered, or empty when it is. The matcher's own reason comes first. */
    Optional<String> skipReason(FanOutNode fanOut, PlannedChild child) {
        if (child.getSkippedReason() != null) {
            return Optional.of(child.getSkippedReason());
        }
        if (fanOut.getChildPath().contains(node(child.getRepo(), child.getWorkflow()))) {
            return Optional.of(CYCLE);
        }
        if (fanOut.getChildDepth() > maxDepth) {
            return Optional.of(DEPTH);
        }
        return Optional.empty();
    }

    /** The path of a run's children: its own path and itself. */
    static List<String> childPath(List<String> path, String repo, String workflow) {
        List<String> next = new ArrayList<>(path);
        next.add(node(repo, workflow));
        return next;
    }

    static String node(String repo, String workflow) {
        return repo + "/" + workflow;
    }
}
