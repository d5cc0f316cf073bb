package dev.fanout.query;

import dev.fanout.avro.Cancellation;
import dev.fanout.avro.CompensationResult;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.Failure;
import dev.fanout.avro.FanOutOptions;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.StopCause;
import dev.fanout.avro.internal.LastProgress;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.json.AvroJson;
import dev.fanout.tree.Statuses;
import dev.fanout.tree.StoreKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The read model: the contract's tree summary, node pages and tree lists, answered from one partition's
 * coordinator stores. Every answer is a few point reads plus at most one bounded range scan; nothing
 * reads a whole fan-out.
 */
final class TreeReader {

    /** Failures listed in a tree summary (the coordinator keeps {@code fanout.failures.max} of them). */
    static final int FAILURES_SHOWN = 10;

    private final TreeStores stores;

    TreeReader(TreeStores stores) {
        this.stores = stores;
    }

    Optional<TreeNode> tree(String treeId) {
        return Optional.ofNullable(stores.trees().get(treeId));
    }

    /** The tree summary, or empty if the tree is unknown here. */
    Optional<Map<String, Object>> summary(String treeId, long nowMs) {
        return tree(treeId).map(tree -> summary(tree, nowMs));
    }

    static Map<String, Object> summary(TreeNode tree, long nowMs) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tree_id", tree.getTreeId());
        json.put("artifact", tree.getArtifact());
        json.put("status", treeStatus(tree));
        json.put("started_at", time(tree.getStartedAt()));
        Long finishedAt = tree.getDone() ? tree.getFinishedAt() : null;
        json.put("finished_at", time(finishedAt));
        json.put("duration_ms", Math.max(0, (finishedAt == null ? nowMs : finishedAt) - tree.getStartedAt()));
        json.put("counts", counts(tree.getCounts()));
        json.put("running", tree.getRunning());
        json.put("queued", tree.getQueued());
        json.put("open_fan_outs", tree.getFanOutsInFlight());
        List<Map<String, Object>> failures = new ArrayList<>();
        for (Failure failure : tree.getFailures().subList(0, Math.min(FAILURES_SHOWN, tree.getFailures().size()))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("run_id", failure.getRunId());
            item.put("subscription_id", failure.getSubscriptionId());
            item.put("error", failure.getError());
            failures.add(item);
        }
        json.put("failures", failures);
        json.put("cancelled", cancelled(tree.getCancelled()));
        return json;
    }

    /** Who cancelled the tree and why, or null: a cancelled tree's status stays FAILED. */
    private static Map<String, Object> cancelled(Cancellation cancellation) {
        if (cancellation == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reason", cancellation.getReason());
        json.put("requested_by", cancellation.getRequestedBy());
        json.put("requested_at", cancellation.getRequestedAt().toString());
        return json;
    }

    /**
     * One page of the children of {@code parentRunId} (null: the root fan-out's), in plan order, after the
     * child named by {@code cursor}. The caller has checked that the tree exists.
     */
    NodePage nodes(String treeId, String parentRunId, String cursor, int limit, long nowMs) {
        if (parentRunId != null) {
            RunNode parent = stores.runs().get(parentRunId);
            if (parent == null || !parent.getTreeId().equals(treeId)) {
                throw ApiError.notFound("parent '" + parentRunId + "' is not a run of tree '" + treeId + "'; pass the "
                        + "run_id of one of this tree's nodes, or omit parent (or pass the tree id) for the root "
                        + "fan-out's children");
            }
        }
        String prefix = StoreKeys.childrenOf(treeId, parentRunId);
        String from = prefix;
        if (cursor != null) {
            String last = NodeCursor.decode(cursor, prefix).orElseThrow(() -> ApiError.badRequest("cursor '" + cursor
                    + "' is not a cursor of the children of " + (parentRunId == null ? "the root" : "'" + parentRunId + "'")
                    + " in tree '" + treeId + "'; pass next_cursor from the previous page of the same tree and parent "
                    + "unchanged, or omit cursor to start from the first child"));
            from = last + "\u0000";
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        String lastKey = null;
        boolean more = false;
        try (KeyValueIterator<String, String> range = stores.children().range(from, StoreKeys.prefixEnd(prefix))) {
            while (range.hasNext()) {
                KeyValue<String, String> entry = range.next();
                if (nodes.size() == limit) {
                    more = true;
                    break;
                }
                RunNode run = stores.runs().get(entry.value);
                if (run != null) {
                    nodes.add(node(run, nowMs));
                }
                lastKey = entry.key;
            }
        }
        return new NodePage(nodes, more ? NodeCursor.encode(lastKey) : null);
    }

    /** A page of nodes, and the cursor of the next page (null: this was the last). */
    record NodePage(List<Map<String, Object>> nodes, String nextCursor) {
    }

    /** Up to {@code limit} trees of this partition, newest started first, filtered by {@code status}. */
    List<TreeNode> newest(TreeFilter filter, int limit) {
        List<TreeNode> trees = new ArrayList<>();
        try (KeyValueIterator<String, String> all = stores.treesByStart().all()) {
            while (all.hasNext() && trees.size() < limit) {
                TreeNode tree = stores.trees().get(all.next().value);
                if (tree != null && filter.accepts(tree)) {
                    trees.add(tree);
                }
            }
        }
        return trees;
    }

    Map<String, Object> node(RunNode run, long nowMs) {
        FanOutNode fanOut = stores.fanOuts().get(run.getFanOutId());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", run.getRunId());
        json.put("fan_out_id", run.getFanOutId());
        json.put("parent_run_id", run.getParentRunId());
        json.put("subscription_id", run.getSubscriptionId());
        json.put("repo", run.getRepo());
        json.put("workflow", run.getWorkflow());
        json.put("item_index", run.getItemIndex());
        json.put("depth", run.getDepth());
        boolean abandoned = fanOut != null && fanOut.getStop() == StopCause.TIMEOUT && Statuses.isFinished(fanOut)
                && isActive(run.getStatus()) && run.getCompensates() == null;
        // A fan-out that timed out does not rewrite its running children; they are counted timed out.
        json.put("status", abandoned ? "TIMED_OUT" : run.getStatus().name());
        json.put("attempt", run.getAttempt());
        json.put("reason", abandoned && run.getReason() == null ? "fan-out timeout" : run.getReason());
        json.put("error", run.getError());
        json.put("output", output(run));
        json.put("progress", progress(run.getProgress()));
        json.put("started_at", time(run.getTriggeredAt()));
        Long finishedAt = run.getFinishedAt() != null ? run.getFinishedAt()
                : abandoned ? fanOut.getFinishedAt() : null;
        json.put("finished_at", time(finishedAt));
        json.put("duration_ms", run.getTriggeredAt() == null ? null
                : Math.max(0, (finishedAt == null ? nowMs : finishedAt) - run.getTriggeredAt()));
        json.put("children", children(run));
        json.put("depends_on", dependsOn(run.getDependsOn()));
        json.put("waiting_for", run.getStatus() == RunNodeStatus.WAITING && run.getDependsOn() != null
                ? List.copyOf(run.getDependsOn().getSubscriptions())
                : run.getStatus() == RunNodeStatus.QUOTA_WAIT ? List.of("max_in_flight of " + run.getRepo()) : null);
        json.put("quota", null); // a run in QUOTA_WAIT: filled from its repository's admission partition (QuotaReader)
        json.put("compensate_workflow", run.getCompensateWorkflow());
        json.put("compensation", compensation(run));
        return json;
    }

    static Map<String, Object> dependsOn(DependsOn dependsOn) {
        if (dependsOn == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subscriptions", List.copyOf(dependsOn.getSubscriptions()));
        json.put("mode", dependsOn.getMode().name());
        json.put("condition", dependsOn.getCondition().name());
        return json;
    }

    /**
     * The run that undoes {@code run} (its compensation run, a run of the same tree that is in no children
     * listing), or null when it has none: one point read.
     */
    private Map<String, Object> compensation(RunNode run) {
        if (run.getCompensationRunId() == null) {
            return null;
        }
        RunNode compensation = stores.runs().get(run.getCompensationRunId());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", run.getCompensationRunId());
        if (compensation == null) {
            // Not in the store (not written yet): what the child's result says of it, if it says anything.
            CompensationResult result = run.getOutcome() == null ? null : run.getOutcome().getCompensation();
            json.put("workflow", result == null ? null : result.getWorkflow());
            json.put("status", result == null ? null : result.getStatus().name());
            json.put("attempt", result == null ? null : result.getAttempts());
            json.put("error", result == null ? null : result.getError());
            json.put("started_at", null);
            json.put("finished_at", null);
            return json;
        }
        json.put("workflow", compensation.getWorkflow());
        json.put("status", compensation.getStatus().name());
        json.put("attempt", compensation.getAttempt());
        json.put("error", compensation.getError());
        json.put("started_at", time(compensation.getTriggeredAt()));
        json.put("finished_at", time(compensation.getFinishedAt()));
        return json;
    }

    /**
     * The output the run ended with, as the JSON its worker sent (a string if it is not JSON), or null: this is
     * where a result cut from a {@code FanOutDone} ({@code results_truncated}) is read.
     */
    private static Object output(RunNode run) {
        if (run.getOutcome() == null || run.getOutcome().getOutput() == null) {
            return null;
        }
        String output = run.getOutcome().getOutput();
        try {
            return AvroJson.mapper().readTree(output);
        } catch (JsonProcessingException notJson) {
            return output;
        }
    }

    /** The run's last progress report; its details as the JSON the worker sent (as a string if it is not JSON). */
    private static Map<String, Object> progress(LastProgress progress) {
        if (progress == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("message", progress.getMessage());
        Object details = progress.getDetails();
        if (details != null) {
            try {
                details = AvroJson.mapper().readTree(progress.getDetails());
            } catch (JsonProcessingException notJson) {
                // shown as sent
            }
        }
        json.put("details", details);
        json.put("at", time(progress.getAt()));
        json.put("attempt", progress.getAttempt());
        return json;
    }

    /** The aggregate over the fan-outs {@code run} emitted, or null if it emitted none. */
    private Map<String, Object> children(RunNode run) {
        if (run.getFanOutsOpened() == 0) {
            return null;
        }
        Counts sum = new Counts(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        long fanOuts = 0;
        long done = 0;
        boolean running = false;
        boolean failed = false;
        boolean timedOut = false;
        String prefix = StoreKeys.childrenOf(run.getTreeId(), run.getRunId());
        try (KeyValueIterator<String, String> range = stores.childFanOuts().range(prefix, StoreKeys.prefixEnd(prefix))) {
            while (range.hasNext()) {
                FanOutNode fanOut = stores.fanOuts().get(range.next().value);
                if (fanOut == null) {
                    continue;
                }
                fanOuts++;
                done += fanOut.getDoneChildren();
                add(sum, fanOut.getCounts());
                CompletionStatus status = Statuses.of(fanOut);
                if (!Statuses.isFinished(fanOut)) {
                    running = true;
                } else if (status == CompletionStatus.TIMED_OUT) {
                    timedOut = true;
                } else if (status == CompletionStatus.FAILED) {
                    failed = true;
                }
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("fan_outs", fanOuts);
        json.put("total", sum.getTotal());
        json.put("done", done);
        json.put("status", running ? "RUNNING" : failed ? "FAILED" : timedOut ? "TIMED_OUT" : "SUCCEEDED");
        json.put("counts", counts(sum));
        return json;
    }

    static String treeStatus(TreeNode tree) {
        if (!tree.getDone()) {
            return "RUNNING";
        }
        return Statuses.of(tree).name();
    }

    static boolean isActive(RunNodeStatus status) {
        return status == RunNodeStatus.PLANNED || status == RunNodeStatus.WAITING || status == RunNodeStatus.QUEUED
                || status == RunNodeStatus.QUOTA_WAIT || status == RunNodeStatus.TRIGGERED || status == RunNodeStatus.RUNNING;
    }

    private static void add(Counts sum, Counts counts) {
        sum.setTotal(sum.getTotal() + counts.getTotal());
        sum.setSucceeded(sum.getSucceeded() + counts.getSucceeded());
        sum.setFailed(sum.getFailed() + counts.getFailed());
        sum.setTimedOut(sum.getTimedOut() + counts.getTimedOut());
        sum.setSkipped(sum.getSkipped() + counts.getSkipped());
        sum.setRetries(sum.getRetries() + counts.getRetries());
        sum.setCompensated(sum.getCompensated() + counts.getCompensated());
        sum.setCompensationFailed(sum.getCompensationFailed() + counts.getCompensationFailed());
    }

    static Map<String, Object> counts(Counts counts) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", counts.getTotal());
        json.put("succeeded", counts.getSucceeded());
        json.put("failed", counts.getFailed());
        json.put("timed_out", counts.getTimedOut());
        json.put("skipped", counts.getSkipped());
        json.put("retries", counts.getRetries());
        json.put("compensated", counts.getCompensated());
        json.put("compensation_failed", counts.getCompensationFailed());
        return json;
    }

    static String time(Long epochMs) {
        return epochMs == null ? null : Instant.ofEpochMilli(epochMs).toString();
    }
}
