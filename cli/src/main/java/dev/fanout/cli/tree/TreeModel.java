package dev.fanout.cli.tree;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The JSON bodies of the tree query API (docs/query-api.md), as read by the CLI. Unknown fields are ignored. */
public final class TreeModel {

    private TreeModel() {
    }

    /** Run counters, as in TreeDone. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Counts(long total, long succeeded, long failed, @JsonProperty("timed_out") long timedOut,
            long skipped, long retries) {

        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);

        /** Runs in a terminal state. */
        public long done() {
            return succeeded + failed + timedOut + skipped;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Failure(@JsonProperty("run_id") String runId, @JsonProperty("subscription_id") String subscriptionId,
            String error) {
    }

    /** GET /api/trees/{id}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TreeSummary(@JsonProperty("tree_id") String treeId, String artifact, String status,
            @JsonProperty("started_at") String startedAt, @JsonProperty("finished_at") String finishedAt,
            @JsonProperty("duration_ms") Long durationMs, Counts counts, long running, long queued,
            @JsonProperty("open_fan_outs") long openFanOuts, List<Failure> failures) {

        public TreeSummary {
            counts = counts == null ? Counts.NONE : counts;
            failures = failures == null ? List.of() : List.copyOf(failures);
        }

        public boolean isRunning() {
            return "RUNNING".equals(status);
        }
    }

    /** What the fan-outs a run emitted add up to. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Children(@JsonProperty("fan_outs") int fanOuts, long total, long done, String status, Counts counts) {
    }

    /** One run of a tree. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Node(@JsonProperty("run_id") String runId, @JsonProperty("fan_out_id") String fanOutId,
            @JsonProperty("parent_run_id") String parentRunId, @JsonProperty("subscription_id") String subscriptionId,
            String repo, String workflow, @JsonProperty("item_index") Integer itemIndex, int depth, String status,
            int attempt, String reason, String error, @JsonProperty("started_at") String startedAt,
            @JsonProperty("finished_at") String finishedAt, @JsonProperty("duration_ms") Long durationMs,
            Children children, Compensation compensation) {
    }

    /** The run that undoes a succeeded run whose fan-out failed, timed out or was cancelled. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Compensation(@JsonProperty("run_id") String runId, String workflow, String status, int attempt,
            String error) {
    }

    /** GET /api/trees/{id}/nodes: one page of a parent's children. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodePage(@JsonProperty("tree_id") String treeId, String parent, List<Node> nodes,
            @JsonProperty("next_cursor") String nextCursor) {

        public NodePage {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    /** GET /api/trees. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TreeList(List<TreeSummary> trees) {

        public TreeList {
            trees = trees == null ? List.of() : List.copyOf(trees);
        }
    }
}
