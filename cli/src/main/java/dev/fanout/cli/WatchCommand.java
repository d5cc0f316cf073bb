package dev.fanout.cli;

import dev.fanout.cli.tree.Summaries;
import dev.fanout.cli.tree.TreeModel.TreeSummary;
import dev.fanout.cli.tree.TreeWatch;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Follows one tree's progress until it is done, then prints what its TreeDone says. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Show a tree's progress until it is done, then its summary (status, counts, first failures).",
                "On a terminal the progress bar is rewritten in place; otherwise a line is printed whenever it changes.",
                "Exit code: 0 when the tree SUCCEEDED, " + WatchCommand.EXIT_NOT_SUCCEEDED
                        + " when it FAILED or TIMED_OUT, 1 on errors."})
public final class WatchCommand implements Callable<Integer> {

    /** The tree finished, but not successfully. */
    public static final int EXIT_NOT_SUCCEEDED = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Parameters(index = "0", paramLabel = "TREE_ID", description = "The tree's id: the event_id of its root event.")
    String treeId;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
            description = "Milliseconds between two looks at the tree (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Give up (exit 1) when the tree is still running after this long; 0 waits for ever "
                    + "(default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--in-place", negatable = true,
            description = "Rewrite the progress line in place (default: only when the output is a terminal).")
    Boolean inPlace;

    @Override
    public Integer call() throws InterruptedException {
        if (treeId.isBlank()) {
            throw new CliException("TREE_ID is empty; give the event_id of the tree's root event");
        }
        if (intervalMs < 100) {
            throw new CliException("--interval " + intervalMs + " is too short; give at least 100 ms");
        }
        if (timeoutSeconds < 0) {
            throw new CliException("--timeout " + timeoutSeconds + " is negative; give seconds, or 0 to wait for ever");
        }
        boolean rewrite = inPlace != null ? inPlace : isTerminal();
        PrintWriter out = spec.commandLine().getOut();
        Duration timeout = timeoutSeconds == 0 ? null : Duration.ofSeconds(timeoutSeconds);
        Optional<TreeSummary> done = TreeWatch.follow(api.client(), treeId,
                new TreeWatch.Options(Duration.ofMillis(intervalMs), timeout, rewrite), out);
        if (done.isEmpty()) {
            throw new CliException("tree " + treeId + " is still RUNNING after --timeout " + timeoutSeconds
                    + " s; watch it longer, or look at it with 'fanout tree " + treeId + "'");
        }
        Summaries.printDone(done.get(), out);
        return "SUCCEEDED".equals(done.get().status()) ? 0 : EXIT_NOT_SUCCEEDED;
    }

    /** True when standard output is a terminal (Java 22+ answers through Console.isTerminal). */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJava) {
            return true;
        }
    }
}
