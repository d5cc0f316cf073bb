package dev.fanout.cli;

import dev.fanout.avro.Subscription;
import dev.fanout.avro.RepoLimits;
import dev.fanout.cli.subscriptions.CompactedTopicReader;
import dev.fanout.cli.subscriptions.LimitsReport;
import dev.fanout.cli.subscriptions.SyncReport;
import dev.fanout.cli.subscriptions.TopicSnapshot;
import dev.fanout.subscription.discovery.RepositoryScanner;
import dev.fanout.subscription.discovery.ScanResult;
import dev.fanout.subscription.sync.DependencyCycles;
import dev.fanout.subscription.sync.LimitsPlan;
import dev.fanout.subscription.sync.RemovalScope;
import dev.fanout.subscription.sync.SyncPlan;
import dev.fanout.subscription.sync.SyncPlanner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Make the subscriptions topic match the tako.yml files of a folder of repositories.",
                "Publishes added and changed subscriptions, tombstones removed ones, and prints what it did.",
                "Each repository's limits (max_in_flight) go to the repo-limits topic the same way.",
                "A bad tako.yml is reported (exit code 1) and never stops the others from being published.",
                "A depends_on cycle among the subscriptions found is refused (exit code 1): nothing is published."})
final class SubscriptionsSyncCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--repos", required = true, paramLabel = "DIR",
            description = "Folder of repositories; each is a folder with a tako.yml, named by its path below DIR.")
    Path repos;

    @Option(names = "--prune", paramLabel = "SCOPE", defaultValue = "scanned-repos", converter = Prune.class,
            completionCandidates = Prune.class,
            description = {"What a subscription that is no longer declared may be removed from (default: ${DEFAULT-VALUE}):",
                    "  scanned-repos  only repositories found under DIR",
                    "  whole-root     every repository: DIR holds them all, one that is gone loses its subscriptions"})
    RemovalScope prune;

    @Option(names = "--dry-run", description = "Print what would change; publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        RepositoryFolder.check(repos, "--repos");
        ScanResult scan = RepositoryScanner.withDefaults().scan(repos);
        if (refuseCycles(scan.subscriptions(), "the subscriptions under " + repos, spec.commandLine().getErr())) {
            return FanoutCli.EXIT_ERROR;
        }
        SubscriptionsTopic topic = SubscriptionsTopic.of(connection.settings());
        TopicSnapshot current = topic.read();
        SyncPlan plan = new SyncPlanner().plan(scan, current.subscriptions(), prune);
        SyncReport report = new SyncReport(plan, scan.errors(), current.unreadable());
        RepoLimitsTopic limitsTopic = RepoLimitsTopic.of(connection.settings());
        CompactedTopicReader.Latest<RepoLimits> currentLimits = limitsTopic.read();
        LimitsPlan limitsPlan = new SyncPlanner().planLimits(scan, currentLimits.values(), prune);
        LimitsReport limits = new LimitsReport(limitsPlan, currentLimits.unreadable());

        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s %d repositories under %s into %s (prune: %s)%n", dryRun ? "Planning a sync of" : "Syncing",
                scan.repositories().size(), repos, topic.name(), Prune.name(prune));
        report.printLines(out);
        limits.printLines(out);
        out.flush();
        if (dryRun) {
            out.println("Dry run, nothing published: " + report.counts());
            out.println("Limits, nothing published: " + limits.counts());
        } else {
            topic.publish(report.toPublish(), report.toDelete());
            out.println("Published: " + report.counts());
            limitsTopic.publish(limitsPlan.set(), limitsPlan.removed());
            out.println("Limits published to " + limitsTopic.name() + ": " + limits.counts());
        }
        return finish(report, spec.commandLine().getErr(), dryRun ? "would be" : "were");
    }

    /** Exit code 1 when a tako.yml had problems; says that the valid subscriptions were handled regardless. */
    static int finish(SyncReport report, PrintWriter err, String verb) {
        if (!report.hasProblems()) {
            return 0;
        }
        err.println("error: " + report.problems().size() + " problem(s) in tako.yml files (the 'invalid' lines); "
                + "the valid subscriptions " + verb + " published. Fix the files and run the command again.");
        return FanoutCli.EXIT_ERROR;
    }

    /**
     * Prints every {@code depends_on} cycle among {@code subscriptions} and returns true when there is one:
     * the whole sync is refused, since a child in a cycle would wait for itself.
     */
    static boolean refuseCycles(Collection<Subscription> subscriptions, String what, PrintWriter err) {
        List<DependencyCycles.Cycle> cycles = DependencyCycles.find(subscriptions);
        if (cycles.isEmpty()) {
            return false;
        }
        cycles.forEach(cycle -> err.println("error: " + cycle.message()));
        err.println("error: " + cycles.size() + " dependency cycle(s) among " + what + " ('a -> b': a depends on b); "
                + "nothing was published. Fix the tako.yml files and run the command again.");
        err.flush();
        return true;
    }

    /** {@code --prune} values, in the words of the docs rather than the enum's. */
    static final class Prune implements CommandLine.ITypeConverter<RemovalScope>, Iterable<String> {
        private static final List<String> NAMES = List.of("scanned-repos", "whole-root");

        @Override
        public RemovalScope convert(String value) {
            return switch (value) {
                case "scanned-repos" -> RemovalScope.SCANNED_REPOSITORIES;
                case "whole-root" -> RemovalScope.WHOLE_ROOT;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a prune scope; use one of "
                        + NAMES);
            };
        }

        static String name(RemovalScope scope) {
            return scope == RemovalScope.WHOLE_ROOT ? "whole-root" : "scanned-repos";
        }

        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }

    /** Checks a folder before anything connects to the cluster. */
    static final class RepositoryFolder {
        private RepositoryFolder() {
        }

        static void check(Path dir, String option) {
            if (!Files.exists(dir)) {
                throw new CliException(option + " " + dir + ": no such directory; give the folder that holds the "
                        + "repositories (each a folder with a tako.yml), such as examples/repos");
            }
            if (!Files.isDirectory(dir)) {
                throw new CliException(option + " " + dir + ": is a file, not a directory; give the folder that "
                        + "holds the repositories (for a single tako.yml use 'fanout subscriptions put --file')");
            }
            if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
                throw new CliException(option + " " + dir + ": cannot read it (permission denied); run as a user "
                        + "who can read it, or fix its permissions");
            }
        }
    }
}
