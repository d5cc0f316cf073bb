package dev.fanout.cli.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.cli.tree.TreeModel.Node;
import dev.fanout.cli.tree.TreeModel.NodePage;
import dev.fanout.cli.tree.TreeModel.TreeSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The indented text of a tree, from the API's JSON bodies, paged as the API pages them. */
class TreeTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SUMMARY = """
            {"tree_id": "ev-1", "artifact": "acme/lib:release", "status": "RUNNING",
             "started_at": "2026-11-21T10:00:00.123Z", "finished_at": null, "duration_ms": 4100,
             "counts": {"total": 5, "succeeded": 2, "failed": 1, "timed_out": 0, "skipped": 0, "retries": 1},
             "running": 2, "queued": 0, "open_fan_outs": 2, "some_new_field": true,
             "failures": [{"run_id": "r-3", "subscription_id": "app-d/on-release", "error": "exit 1"}]}
            """;

    private final Map<String, List<Node>> children = new HashMap<>();
    private final List<String> requests = new ArrayList<>();

    @Test
    void nestedFanOutsAreIndentedBelowTheRunThatEmittedThem() throws Exception {
        children.put(null, List.of(
                node("r-1", null, "app-b", "deploy", null, "SUCCEEDED", 1, 1200L,
                        "{\"fan_outs\": 1, \"total\": 2, \"done\": 1, \"status\": \"RUNNING\"}"),
                node("r-3", null, "app-d", "test", null, "FAILED", 2, 50L, null)));
        children.put("r-1", List.of(
                node("r-1a", "r-1", "app-c", "rollout", 0, "SUCCEEDED", 1, 800L, null),
                node("r-1b", "r-1", "app-c", "rollout", 1, "RUNNING", 1, null, null)));

        String text = print(new TreeText.Limits(32, 100));

        assertThat(text).isEqualTo("""
                tree ev-1  acme/lib:release  RUNNING  3/5 done  4.1 s
                  5 runs: 2 succeeded, 1 failed, 0 timed out, 0 skipped; 1 retry; 2 running, 0 queued, 2 open fan-outs
                  failed: app-d/on-release (r-3): exit 1
                  SUCCEEDED  app-b/deploy  attempt 1  1.2 s  [fan-out 1/2 done, RUNNING]  r-1
                    SUCCEEDED  app-c/rollout  item 0  attempt 1  800 ms  r-1a
                    RUNNING    app-c/rollout  item 1  attempt 1  r-1b
                  FAILED     app-d/test  attempt 2  50 ms  error: boom  r-3
                """);
    }

    @Test
    void aWideFanOutIsReadPageByPageAndCutAtMaxChildren() throws Exception {
        List<Node> wide = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            wide.add(node("r-" + i, null, "app-w", "item", i, "QUEUED", 1, null, null));
        }
        children.put(null, wide);

        String text = print(new TreeText.Limits(32, 1200));

        assertThat(text.lines().filter(l -> l.contains("app-w/item"))).hasSize(1200);
        assertThat(text).contains("item 1199  attempt 1  r-1199").doesNotContain("r-1200")
                .contains("... more children not shown (raise --max-children, now 1200)");
        assertThat(requests).as("pages of at most 1000, never more than asked for")
                .containsExactly("null@0x1000", "null@1000x200");
    }

    @Test
    void nestedChildrenBeyondMaxChildrenAreCountedFromTheParentsAggregate() throws Exception {
        children.put(null, List.of(node("r-1", null, "app-b", "deploy", null, "RUNNING", 1, null,
                "{\"fan_outs\": 2, \"total\": 100000, \"done\": 10, \"status\": \"RUNNING\"}")));
        List<Node> wide = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            wide.add(node("c-" + i, "r-1", "app-c", "rollout", i, "SUCCEEDED", 1, 5L, null));
        }
        children.put("r-1", wide);

        String text = print(new TreeText.Limits(32, 3));

        assertThat(text).contains("[2 fan-outs 10/100000 done, RUNNING]")
                .contains("    ... 99997 more children not shown (raise --max-children, now 3)");
    }

    @Test
    void runsBelowMaxDepthAreCountedNotPrinted() throws Exception {
        children.put(null, List.of(node("r-1", null, "app-b", "deploy", null, "RUNNING", 1, null,
                "{\"fan_outs\": 1, \"total\": 7, \"done\": 0, \"status\": \"RUNNING\"}")));

        String text = print(new TreeText.Limits(1, 100));

        assertThat(text).contains("    ... 7 children below (raise --depth to see them)");
        assertThat(requests).containsExactly("null@0x100");
    }

    @Test
    void limitsBelowOneAreRefusedWithTheOptionName() {
        assertThatThrownBy(() -> new TreeText.Limits(0, 10)).hasMessage("--depth 0 must be at least 1");
        assertThatThrownBy(() -> new TreeText.Limits(3, -1)).hasMessage("--max-children -1 must be at least 1");
    }

    private String print(TreeText.Limits limits) throws Exception {
        StringWriter text = new StringWriter();
        TreeText.print(JSON.readValue(SUMMARY, TreeSummary.class), this::page, limits, new PrintWriter(text));
        return text.toString();
    }

    /** Pages as the API does: an opaque cursor (here the next offset), at most {@code limit} nodes. */
    private NodePage page(String parent, String cursor, int limit) {
        int from = cursor == null ? 0 : Integer.parseInt(cursor);
        requests.add(parent + "@" + from + "x" + limit);
        List<Node> all = children.getOrDefault(parent, List.of());
        int to = Math.min(all.size(), from + limit);
        return new NodePage("ev-1", parent, all.subList(from, to), to < all.size() ? String.valueOf(to) : null);
    }

    private static Node node(String runId, String parent, String repo, String workflow, Integer item, String status,
            int attempt, Long durationMs, String childrenJson) throws Exception {
        String json = "{\"run_id\": \"" + runId + "\", \"fan_out_id\": \"ev-1\", \"parent_run_id\": "
                + (parent == null ? "null" : "\"" + parent + "\"") + ", \"subscription_id\": \"" + repo + "/on\", "
                + "\"repo\": \"" + repo + "\", \"workflow\": \"" + workflow + "\", \"item_index\": " + item
                + ", \"depth\": 1, \"status\": \"" + status + "\", \"attempt\": " + attempt + ", \"reason\": null, "
                + "\"error\": " + ("FAILED".equals(status) ? "\"boom\"" : "null") + ", \"started_at\": null, "
                + "\"finished_at\": null, \"duration_ms\": " + durationMs + ", \"children\": " + childrenJson + "}";
        return JSON.readValue(json, Node.class);
    }
}
