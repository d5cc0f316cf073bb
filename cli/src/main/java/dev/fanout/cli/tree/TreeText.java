package dev.fanout.cli.tree;

import dev.fanout.cli.tree.TreeModel.Children;
import dev.fanout.cli.tree.TreeModel.Node;
import dev.fanout.cli.tree.TreeModel.NodePage;
import dev.fanout.cli.tree.TreeModel.TreeSummary;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * A tree as indented text: the summary, then each run on a line (status, repo/workflow, item index,
 * attempt, duration) with the runs of its fan-outs indented below it. Children are read page by page, so a
 * fan-out of 100,000 runs costs no more than the lines it prints; {@link Limits} caps depth and width.
 */
public final class TreeText {

    /** Where a tree's children come from; the API in production. */
    @FunctionalInterface
    public interface NodeSource {
        /** Children of {@code parent} (null: the root fan-out's), from {@code cursor} (null: the first). */
        NodePage page(String parent, String cursor, int limit);
    }

    /** How deep to descend (1: the root fan-out's children only) and how many children to print per run. */
    public record Limits(int maxDepth, int maxChildren) {
        public Limits {
            if (maxDepth < 1) {
                throw new IllegalArgumentException("--depth " + maxDepth + " must be at least 1");
            }
            if (maxChildren < 1) {
                throw new IllegalArgumentException("--max-children " + maxChildren + " must be at least 1");
            }
        }
    }

    /** The largest page the API serves. */
    static final int MAX_PAGE = 1000;
    private static final String INDENT = "  ";

    private final NodeSource source;
    private final Limits limits;
    private final PrintWriter out;

    private TreeText(NodeSource source, Limits limits, PrintWriter out) {
        this.source = source;
        this.limits = limits;
        this.out = out;
    }

    /** Prints {@code summary} and its runs, reading children from {@code source}. */
    public static void print(TreeSummary summary, NodeSource source, Limits limits, PrintWriter out) {
        Objects.requireNonNull(summary, "summary");
        TreeText text = new TreeText(Objects.requireNonNull(source, "source"), Objects.requireNonNull(limits, "limits"),
                Objects.requireNonNull(out, "out"));
        out.println(header(summary));
        out.println(INDENT + Summaries.countsLine(summary));
        summary.failures().forEach(f -> out.println(INDENT + "failed: " + f.subscriptionId() + " (" + f.runId() + "): "
                + f.error()));
        text.children(null, null, 1);
        out.flush();
    }

    static String header(TreeSummary s) {
        return "tree " + s.treeId() + "  " + s.artifact() + "  " + s.status() + "  " + s.counts().done() + "/"
                + s.counts().total() + " done  " + Durations.format(s.durationMs());
    }

    /** Prints up to maxChildren children of {@code parent} at {@code depth}, descending into their fan-outs. */
    private void children(String parent, Children aggregate, int depth) {
        String indent = INDENT.repeat(depth);
        int shown = 0;
        String cursor = null;
        boolean more;
        do {
            NodePage page = source.page(parent, cursor, Math.min(limits.maxChildren() - shown, MAX_PAGE));
            for (Node node : page.nodes()) {
                if (shown == limits.maxChildren()) {
                    break;
                }
                out.println(indent + line(node));
                shown++;
                if (node.children() != null) {
                    if (depth < limits.maxDepth()) {
                        children(node.runId(), node.children(), depth + 1);
                    } else {
                        out.println(indent + INDENT + "... " + node.children().total()
                                + " children below (raise --depth to see them)");
                    }
                }
            }
            cursor = page.nextCursor();
            more = cursor != null && !page.nodes().isEmpty();
        } while (more && shown < limits.maxChildren());
        if (more) {
            String count = aggregate == null ? "more children" : (aggregate.total() - shown) + " more children";
            out.println(indent + "... " + count + " not shown (raise --max-children, now " + limits.maxChildren() + ")");
        }
    }

    /** status, repo/workflow, item index, attempt, duration, then what went wrong and what it emitted. */
    static String line(Node n) {
        StringBuilder sb = new StringBuilder(String.format("%-9s", n.status())).append("  ")
                .append(n.repo()).append('/').append(n.workflow());
        if (n.itemIndex() != null) {
            sb.append("  item ").append(n.itemIndex());
        }
        sb.append("  attempt ").append(n.attempt());
        if (n.durationMs() != null) {
            sb.append("  ").append(Durations.format(n.durationMs()));
        }
        if (n.reason() != null) {
            sb.append("  (").append(n.reason()).append(')');
        }
        if (n.error() != null) {
            sb.append("  error: ").append(n.error());
        }
        Children c = n.children();
        if (c != null) {
            sb.append("  [").append(c.fanOuts() == 1 ? "fan-out " : c.fanOuts() + " fan-outs ")
                    .append(c.done()).append('/').append(c.total()).append(" done, ").append(c.status()).append(']');
        }
        TreeModel.Compensation undo = n.compensation();
        if (undo != null) {
            sb.append("  [compensated by ").append(undo.workflow()).append(": ").append(undo.status());
            if (undo.error() != null) {
                sb.append(", error: ").append(undo.error());
            }
            sb.append(']');
        }
        sb.append("  ").append(n.runId());
        return sb.toString();
    }
}
