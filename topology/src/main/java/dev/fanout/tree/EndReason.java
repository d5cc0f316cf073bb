package dev.fanout.tree;

import dev.fanout.avro.internal.TreeNode;

/**
 * Why a run was skipped or ended without a worker's outcome: the words a user reads in a child's
 * {@code reason} (FanOutDone results, the query API, the page). The texts are stored in run nodes and
 * published, so they never change; a reason with details reads {@code text: details}.
 */
enum EndReason {
    /** The run's repository and workflow are already on its path: running it would loop. */
    LINEAGE_CYCLE("cycle"),
    /** Deeper than {@code fanout.max.depth}. */
    MAX_DEPTH("depth"),
    /** Its fan-out's own timeout fired before it ran or ended. */
    FAN_OUT_TIMEOUT("fan-out timeout"),
    /** Its last attempt ran past the subscription's {@code timeout_ms}. */
    RUN_TIMEOUT("timeout"),
    /** Its last attempt sent no report for {@code heartbeat_timeout_ms}. */
    HEARTBEAT_TIMEOUT("heartbeat timeout"),
    /** A sibling it depends on ended so that its condition can no longer hold. */
    DEPENDENCY("dependency"),
    /** Its subscription is on a cycle of depends_on among the fan-out's children. */
    DEPENDENCY_CYCLE("dependency cycle"),
    /** Its fan-out is {@code fail_fast} and had more failures than it tolerates. */
    FAIL_FAST("fail_fast"),
    /** Its tree was cancelled. */
    CANCELLED("cancelled");

    private final String text;

    EndReason(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }

    String text(String details) {
        return details == null || details.isBlank() ? text : text + ": " + details;
    }

    /** {@code cancelled: <the cancel's reason>}, for a child of a tree that was cancelled. */
    static String cancelled(TreeNode tree) {
        return CANCELLED.text(tree == null || tree.getCancelled() == null ? null : tree.getCancelled().getReason());
    }
}
