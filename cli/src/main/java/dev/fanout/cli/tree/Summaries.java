package dev.fanout.cli.tree;

import dev.fanout.cli.tree.TreeModel.Counts;
import dev.fanout.cli.tree.TreeModel.TreeSummary;
import java.io.PrintWriter;

/** One-line progress and the final summary of a tree, as {@code fanout watch} prints them. */
public final class Summaries {

    static final int BAR_WIDTH = 30;

    private Summaries() {
    }

    /** {@code [#########.....]  60%  3/5 done · 2 running · 0 queued · 4.1 s}. */
    public static String progressLine(TreeSummary s) {
        Counts c = s.counts();
        long total = c.total();
        long done = Math.min(c.done(), total);
        int filled = total == 0 ? (s.isRunning() ? 0 : BAR_WIDTH) : (int) (BAR_WIDTH * done / total);
        int percent = total == 0 ? (s.isRunning() ? 0 : 100) : (int) (100 * done / total);
        StringBuilder sb = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled))
                .append("] ").append(String.format("%3d%%", percent)).append("  ").append(done).append('/').append(total)
                .append(" done");
        if (c.failed() > 0) {
            sb.append(" · ").append(c.failed()).append(" failed");
        }
        if (c.timedOut() > 0) {
            sb.append(" · ").append(c.timedOut()).append(" timed out");
        }
        sb.append(" · ").append(s.running()).append(" running · ").append(s.queued()).append(" queued · ")
                .append(Durations.format(s.durationMs()));
        if (!s.isRunning()) {
            sb.append(" · ").append(s.status());
        }
        return sb.toString();
    }

    /** {@code 5 runs: 4 succeeded, 1 failed, 0 timed out, 0 skipped; 1 retry}. */
    public static String countsLine(TreeSummary s) {
        Counts c = s.counts();
        String line = c.total() + (c.total() == 1 ? " run: " : " runs: ") + c.succeeded() + " succeeded, " + c.failed()
                + " failed, " + c.timedOut() + " timed out, " + c.skipped() + " skipped; " + c.retries()
                + (c.retries() == 1 ? " retry" : " retries");
        if (s.isRunning()) {
            line += "; " + s.running() + " running, " + s.queued() + " queued, " + s.openFanOuts() + " open fan-outs";
        }
        return line;
    }

    /** What the tree's TreeDone says: status, duration, counts and the first failures. */
    public static void printDone(TreeSummary s, PrintWriter out) {
        out.println("Tree " + s.treeId() + " " + s.status() + " in " + Durations.format(s.durationMs()) + " ("
                + s.artifact() + ")");
        out.println("  " + countsLine(s));
        s.failures().forEach(f -> out.println("  failed: " + f.subscriptionId() + " (" + f.runId() + "): " + f.error()));
        out.flush();
    }
}
