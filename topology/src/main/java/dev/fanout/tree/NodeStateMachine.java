package dev.fanout.tree;

import static dev.fanout.avro.internal.RunNodeStatus.FAILED;
import static dev.fanout.avro.internal.RunNodeStatus.PLANNED;
import static dev.fanout.avro.internal.RunNodeStatus.QUEUED;
import static dev.fanout.avro.internal.RunNodeStatus.QUOTA_WAIT;
import static dev.fanout.avro.internal.RunNodeStatus.RUNNING;
import static dev.fanout.avro.internal.RunNodeStatus.SKIPPED;
import static dev.fanout.avro.internal.RunNodeStatus.SUCCEEDED;
import static dev.fanout.avro.internal.RunNodeStatus.TIMED_OUT;
import static dev.fanout.avro.internal.RunNodeStatus.TRIGGERED;
import static dev.fanout.avro.internal.RunNodeStatus.WAITING;

import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a run node, in one place:
 *
 * <pre>
 * PLANNED ─► QUEUED ─► TRIGGERED ─► RUNNING ─► SUCCEEDED | FAILED | TIMED_OUT
 *    └────────────────────►┘   └──────────────────►┘
 * PLANNED ─► WAITING ─► QUEUED | TRIGGERED   its dependencies held (sibling groups)
 * PLANNED | WAITING | QUEUED ─► SKIPPED     lineage, a dependency that cannot hold, fail_fast, a cancel
 * FAILED ─► QUEUED | TRIGGERED              a retry: attempt + 1
 * PLANNED ─► FAILED   its trigger would be larger than a record may be: never triggered
 * PLANNED | WAITING | QUEUED | FAILED ─► QUOTA_WAIT ─► TRIGGERED   its repository's max_in_flight (admission)
 * QUOTA_WAIT ─► SKIPPED | TIMED_OUT         fail_fast or a cancel; its fan-out's timeout
 * </pre>
 *
 * A worker may report the end without ever reporting STARTED, hence TRIGGERED straight to an end.
 * QUEUED and QUOTA_WAIT also end as TIMED_OUT when their fan-out's timeout fires. Anything else is a bug, not input:
 * statuses that do not fit (duplicates, stale attempts) are filtered before they get here.
 */
final class NodeStateMachine {

    private static final Map<RunNodeStatus, Set<RunNodeStatus>> ALLOWED = Map.of(
            PLANNED, EnumSet.of(QUEUED, TRIGGERED, SKIPPED, FAILED, WAITING, QUOTA_WAIT),
            WAITING, EnumSet.of(QUEUED, TRIGGERED, SKIPPED, QUOTA_WAIT),
            QUEUED, EnumSet.of(TRIGGERED, TIMED_OUT, SKIPPED, QUOTA_WAIT),
            QUOTA_WAIT, EnumSet.of(TRIGGERED, TIMED_OUT, SKIPPED),
            TRIGGERED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, TIMED_OUT),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT),
            FAILED, EnumSet.of(QUEUED, TRIGGERED, QUOTA_WAIT),
            SUCCEEDED, EnumSet.noneOf(RunNodeStatus.class),
            TIMED_OUT, EnumSet.noneOf(RunNodeStatus.class),
            SKIPPED, EnumSet.noneOf(RunNodeStatus.class));

    private static final Set<RunNodeStatus> ENDS = EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, SKIPPED);

    private NodeStateMachine() {
    }

    static boolean allows(RunNodeStatus from, RunNodeStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    /** SUCCEEDED, FAILED, TIMED_OUT and SKIPPED: the run's own outcome (its nested fan-outs aside). */
    static boolean isEnd(RunNodeStatus status) {
        return ENDS.contains(status);
    }

    /** A worker is on it (or about to be): the statuses a worker's report may move on. */
    static boolean isActive(RunNodeStatus status) {
        return status == TRIGGERED || status == RUNNING;
    }

    /** Moves {@code node} to {@code to}; leaving FAILED is a retry and starts the next attempt. */
    static void move(RunNode node, RunNodeStatus to) {
        RunNodeStatus from = node.getStatus();
        if (!allows(from, to)) {
            throw new IllegalStateException("run " + node.getRunId() + " cannot go from " + from + " to " + to);
        }
        if (from == FAILED) {
            node.setAttempt(node.getAttempt() + 1);
        }
        node.setStatus(to);
    }
}
