package dev.fanout.cli;

import dev.fanout.cli.tree.TreeApi;
import dev.fanout.cli.tree.TreeText;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints one execution tree from the query API as indented text. */
@Command(name = "tree", mixinStandardHelpOptions = true,
        description = {"Print an execution tree as indented text: its summary, then every run (status, "
                + "repo/workflow, item index, attempt, duration) with the runs of its fan-outs indented below it.",
                "Children are read page by page; --depth and --max-children keep a wide tree short."})
public final class TreeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Parameters(index = "0", paramLabel = "TREE_ID", description = "The tree's id: the event_id of its root event.")
    String treeId;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "32",
            description = "Levels of runs to print; 1 prints the root event's runs only (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--max-children", paramLabel = "N", defaultValue = "100",
            description = "Runs to print under each parent; the rest are counted (default: ${DEFAULT-VALUE}).")
    int maxChildren;

    @Override
    public Integer call() {
        if (treeId.isBlank()) {
            throw new CliException("TREE_ID is empty; give the event_id of the tree's root event");
        }
        TreeText.Limits limits;
        try {
            limits = new TreeText.Limits(depth, maxChildren);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        TreeApi client = api.client();
        TreeText.print(client.tree(treeId), (parent, cursor, limit) -> client.nodes(treeId, parent, cursor, limit),
                limits, spec.commandLine().getOut());
        return 0;
    }
}
