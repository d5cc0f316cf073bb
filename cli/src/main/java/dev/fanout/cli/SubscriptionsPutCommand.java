package dev.fanout.cli;

import dev.fanout.avro.Subscription;
import dev.fanout.cli.subscriptions.LimitsReport;
import dev.fanout.cli.subscriptions.SyncReport;
import dev.fanout.cli.subscriptions.TopicSnapshot;
import dev.fanout.subscription.SubscriptionNames;
import dev.fanout.subscription.sync.LimitsPlan;
import dev.fanout.subscription.sync.SyncPlan;
import dev.fanout.subscription.sync.SyncPlanner;
import dev.fanout.subscription.takofile.ParsedTakoFile;
import dev.fanout.subscription.takofile.TakoFileParser;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Publish the subscriptions of one tako.yml for one repository.",
                "Adds and updates only: subscriptions of the repository that the file no longer declares stay",
                "(remove them with 'delete', or use 'sync'). Invalid entries are reported and not published.",
                "The file's limits (max_in_flight) are published to the repo-limits topic; limits it does not",
                "declare stay (use 'sync' to remove them).",
                "A depends_on cycle among the file's subscriptions is refused (exit code 1): nothing is published."})
final class SubscriptionsPutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--file", required = true, paramLabel = "TAKO_YML", description = "The tako.yml to read.")
    Path file;

    @Option(names = "--repo", required = true, paramLabel = "REPO",
            description = "The repository it belongs to, such as svc-a or acme/deployer; ids are REPO/NAME.")
    String repo;

    @Override
    public Integer call() {
        if (!SubscriptionNames.isRepo(repo)) {
            throw new CliException("--repo '" + repo + "' is not a repository name; use folder names of "
                    + SubscriptionNames.NAME_RULE + ", separated by '/', such as acme/deployer");
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException("--file " + file + ": " + (Files.exists(file) ? "is not a regular file" : "no such file")
                    + "; give the path of a tako.yml");
        }
        ParsedTakoFile parsed = TakoFileParser.withDefaults().parse(file, repo, file.toString());
        if (SubscriptionsSyncCommand.refuseCycles(parsed.subscriptions(), "the subscriptions of " + file,
                spec.commandLine().getErr())) {
            return FanoutCli.EXIT_ERROR;
        }
        SubscriptionsTopic topic = SubscriptionsTopic.of(connection.settings());
        TopicSnapshot current = topic.read();
        // Only the declared ids are compared, so nothing else of the repository is removed.
        List<String> declaredIds = parsed.subscriptions().stream().map(Subscription::getId).toList();
        SyncPlan plan = new SyncPlanner().plan(parsed.subscriptions(), current.only(declaredIds));
        SyncReport report = new SyncReport(plan, parsed.errors(), Map.of());

        PrintWriter out = spec.commandLine().getOut();
        out.printf("Putting %d subscription(s) of %s from %s into %s%n", parsed.subscriptions().size(), repo, file,
                topic.name());
        report.printLines(out);
        topic.publish(report.toPublish(), report.toDelete());
        out.println("Published: " + report.counts());
        if (parsed.limits().isPresent()) {
            RepoLimitsTopic limitsTopic = RepoLimitsTopic.of(connection.settings());
            LimitsPlan limitsPlan = new SyncPlanner().planLimits(parsed.limits().stream().toList(),
                    limitsTopic.read().values());
            LimitsReport limits = new LimitsReport(limitsPlan, Map.of());
            limits.printLines(out);
            limitsTopic.publish(limitsPlan.set(), limitsPlan.removed());
            out.println("Limits published to " + limitsTopic.name() + ": " + limits.counts());
        }
        return SubscriptionsSyncCommand.finish(report, spec.commandLine().getErr(), "were");
    }
}
