package dev.fanout.cli.tree;

import dev.fanout.cli.tree.TreeModel.TreeSummary;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows one tree's progress through the query API until it is done, printing a progress line
 * ({@link Summaries#progressLine}) whenever it changes, or rewriting it in place on a terminal. Used by
 * {@code fanout watch} and {@code fanout demo}.
 */
public final class TreeWatch {

    /**
     * How to follow: the pause between two looks, when to give up (null: never), and whether to rewrite the
     * line in place ({@code \r}) rather than print a new line per change.
     */
    public record Options(Duration interval, Duration timeout, boolean rewrite) {
        public Options {
            Objects.requireNonNull(interval, "interval");
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("--interval " + interval.toMillis() + " is too short; give at least 100 ms");
            }
            if (timeout != null && timeout.isNegative()) {
                throw new IllegalArgumentException("--timeout " + timeout.toSeconds()
                        + " is negative; give seconds, or 0 to wait for ever");
            }
        }
    }

    private TreeWatch() {
    }

    /**
     * Prints progress until the tree is done and returns its last summary, or empty when {@code timeout}
     * passed first. The API's errors ({@link TreeApiException}) go to the caller.
     */
    public static Optional<TreeSummary> follow(TreeApi api, String treeId, Options options, PrintWriter out)
            throws InterruptedException {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(treeId, "treeId");
        Objects.requireNonNull(out, "out");
        long deadline = options.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + options.timeout().toNanos();
        String last = null;
        int width = 0;
        while (true) {
            TreeSummary tree = api.tree(treeId);
            String line = Summaries.progressLine(tree);
            if (options.rewrite()) {
                out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                width = line.length();
            } else if (!line.equals(last)) {
                out.println(line);
            }
            last = line;
            out.flush();
            if (!tree.isRunning()) {
                if (options.rewrite()) {
                    out.println();
                }
                out.flush();
                return Optional.of(tree);
            }
            if (System.nanoTime() > deadline) {
                if (options.rewrite()) {
                    out.println();
                }
                out.flush();
                return Optional.empty();
            }
            Thread.sleep(options.interval().toMillis());
        }
    }
}
