package dev.fanout.cli;

import dev.fanout.avro.Subscription;
import dev.fanout.cli.subscriptions.SubscriptionTable;
import dev.fanout.cli.subscriptions.TopicSnapshot;
import dev.fanout.json.AvroJson;
import dev.fanout.subscription.SubscriptionNames;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Print the subscriptions currently on the subscriptions topic, sorted by id.",
                "Reads the compacted topic to its end (committed records only), without a consumer group."})
final class SubscriptionsListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--repo", paramLabel = "REPO", description = "Only this repository's subscriptions, such as acme/deployer.")
    String repo;

    @Option(names = "--json", description = "One JSON object per line, with the fields of the Subscription schema.")
    boolean json;

    @Override
    public Integer call() {
        if (repo != null && !SubscriptionNames.isRepo(repo)) {
            throw new CliException("--repo '" + repo + "' is not a repository name; use folder names of "
                    + SubscriptionNames.NAME_RULE + ", separated by '/', such as acme/deployer");
        }
        SubscriptionsTopic topic = SubscriptionsTopic.of(connection.settings());
        TopicSnapshot snapshot = topic.read();
        List<Subscription> shown = snapshot.subscriptions().values().stream()
                .filter(s -> repo == null || repo.equals(s.getRepo())).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            shown.forEach(s -> out.println(AvroJson.toJson(s)));
        } else if (shown.isEmpty()) {
            out.println("No subscriptions" + (repo == null ? "" : " of repository " + repo) + " on " + topic.name() + ".");
        } else {
            SubscriptionTable.print(shown, out);
        }
        PrintWriter err = spec.commandLine().getErr();
        snapshot.unreadable().forEach((id, why) -> err.println("warning: " + id + ": " + why));
        return 0;
    }
}
