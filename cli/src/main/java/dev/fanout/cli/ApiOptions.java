package dev.fanout.cli;

import dev.fanout.cli.tree.TreeApi;
import picocli.CommandLine.Option;

/** Where the tree query API is: {@code --api URL}, {@code ./fanout dev}'s by default. */
public final class ApiOptions {

    @Option(names = "--api", paramLabel = "URL", defaultValue = TreeApi.DEFAULT_URL,
            description = "Base URL of Fanout's HTTP API (default: ${DEFAULT-VALUE}, the one './fanout dev' serves).")
    String url;

    TreeApi client() {
        try {
            return TreeApi.at(url);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
    }
}
