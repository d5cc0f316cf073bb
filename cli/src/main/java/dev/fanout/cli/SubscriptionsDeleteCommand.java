package dev.fanout.cli;

import dev.fanout.cli.subscriptions.TopicSnapshot;
import dev.fanout.subscription.SubscriptionNames;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete subscriptions by id: publish a tombstone for each.",
                "An id that is not on the topic is reported and makes the exit code 1; the others are deleted."})
final class SubscriptionsDeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Subscription ids, REPO/NAME, such as svc-a/on-core-release.")
    List<String> ids;

    @Override
    public Integer call() {
        for (String id : ids) {
            if (!SubscriptionNames.isSubscriptionId(id)) {
                throw new CliException("'" + id + "' is not a subscription id; write it as REPO/NAME, such as "
                        + "svc-a/on-core-release (./fanout subscriptions list shows the ids)");
            }
        }
        SubscriptionsTopic topic = SubscriptionsTopic.of(connection.settings());
        TopicSnapshot current = topic.read();
        List<String> known = new LinkedHashSet<>(ids).stream().filter(current::contains).toList();
        List<String> unknown = new LinkedHashSet<>(ids).stream().filter(id -> !current.contains(id)).toList();

        topic.publish(List.of(), known);
        PrintWriter out = spec.commandLine().getOut();
        known.forEach(id -> out.printf("%-10s %s%n", "removed", id));
        out.println("Deleted " + known.size() + " subscription(s) from " + topic.name() + ".");
        if (unknown.isEmpty()) {
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        unknown.forEach(id -> err.println("error: " + id + " is not on " + topic.name() + ", so there was nothing to "
                + "delete; check the id with ./fanout subscriptions list"));
        return FanoutCli.EXIT_ERROR;
    }
}
