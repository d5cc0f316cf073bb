package dev.fanout.bench.chaos;

import dev.fanout.bench.report.DocsPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fanout chaos}: kills topology instances, then restarts the broker and the registry, all under a steady
 * load of nested trees, and verifies the committed output record by record ({@link ChaosRun}).
 */
@Command(name = "chaos",
        mixinStandardHelpOptions = true,
        description = {"Failover under load, as Kafka's exactly-once system test does it: several topology instances "
                + "on a fresh embedded broker, a steady stream of nested trees with retries and concurrency limits, "
                + "SIGKILLs of one instance at a time, then a broker restart and a registry restart. The committed "
                + "output is then read back (read_committed): exactly one TreeDone per tree, one FanOutDone per "
                + "fan-out, no run attempt triggered twice, every tree's counts as designed.",
                "Exit code 0 when the run passed (and, with --negative-control, the at_least_once run was caught "
                        + "with duplicates or losses), 1 otherwise. The full run takes about five minutes; "
                        + "'fanout chaos --docs' runs it and its negative control and rewrites docs/reliability.md."})
public final class ChaosCommand implements Callable<Integer> {

    static final String START = "<!-- chaos:results:start -->";
    static final String END = "<!-- chaos:results:end -->";

    @Spec
    CommandSpec spec;

    @Option(names = "--instances", paramLabel = "N", defaultValue = "3", description = "Topology processes (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "6", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--kills", paramLabel = "N", defaultValue = "6", description = "SIGKILLs of one instance, each restarted (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--kill-every", paramLabel = "MIN-MAX", defaultValue = "20-30",
            description = "Seconds from one disruption to the next, drawn between MIN and MAX (default: ${DEFAULT-VALUE}).")
    String killEvery;

    @Option(names = "--trees", paramLabel = "N", defaultValue = "1000",
            description = "Trees to emit at least; the load lasts until the schedule is over (default: ${DEFAULT-VALUE}).")
    int trees;

    @Option(names = "--rate", paramLabel = "TREES_PER_S", defaultValue = "6", description = "New trees a second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--children", paramLabel = "MIN-MAX", defaultValue = "10-100",
            description = "Children of each tree's first level (default: ${DEFAULT-VALUE}); each tree adds 3 nested ones.")
    String children;

    @Option(names = "--steady", paramLabel = "SECONDS", defaultValue = "30",
            description = "Load without failures first, the baseline (default: ${DEFAULT-VALUE}).")
    int steady;

    @Option(names = "--no-broker-restart", description = "Leave the broker running.")
    boolean noBrokerRestart;

    @Option(names = "--no-registry-restart", description = "Leave the Schema Registry running.")
    boolean noRegistryRestart;

    @Option(names = "--guarantee", paramLabel = "G", defaultValue = "exactly_once_v2",
            description = "processing.guarantee of the topology: exactly_once_v2 (default) or at_least_once.")
    String guarantee;

    @Option(names = "--negative-control",
            description = "Then run the same schedule under at_least_once, which must be caught with duplicates or "
                    + "losses: proof that the verifier sees them.")
    boolean negativeControl;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the intervals and of the first instance killed; the others follow in turn (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the broker, state and logs go (default: a new temporary directory, kept).")
    Path dir;

    @Option(names = "--docs", paramLabel = "PAGE", arity = "0..1", fallbackValue = "docs/reliability.md",
            description = "Run with --negative-control and rewrite the results of PAGE (default docs/reliability.md, "
                    + "from the project's root), with a plot in the directory beside it (docs/reliability/).")
    Path docs;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ChaosOptions options = options();
        if (docs != null && !Files.isRegularFile(docs)) {
            throw new ParameterException(spec.commandLine(), "--docs " + docs + ": no such page; run from the project's "
                    + "root or name the page, such as --docs docs/reliability.md");
        }
        List<ChaosReport> reports = new ArrayList<>();
        ChaosReport main = ChaosRun.run(options.withDir(options.dir().resolve(guarantee)), out);
        out.print(main.text());
        reports.add(main);
        boolean passed = main.passed();
        if (negativeControl || docs != null) {
            Map<String, Object> alos = new HashMap<>(options.overrides());
            alos.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
            out.println();
            out.println("Negative control: the same schedule under at_least_once, which the verifier must catch ...");
            ChaosReport control = ChaosRun.run(options.withOverrides(alos).withDir(options.dir().resolve("negative-control")), out);
            out.print(control.text());
            boolean caught = !control.passed();
            out.println(caught ? "  negative control caught, as it must be: the verifier sees duplicates and losses"
                    : "  NEGATIVE CONTROL NOT CAUGHT: at_least_once survived these failures unseen, so this run proves less");
            reports.add(control);
            passed &= caught;
        }
        if (docs != null) {
            writeDocs(reports);
        }
        out.println("Logs and state: " + options.dir());
        out.flush();
        return passed ? 0 : 1;
    }

    private void writeDocs(List<ChaosReport> reports) {
        Path plots = docs.toAbsolutePath().getParent().resolve("reliability");
        StringBuilder results = new StringBuilder();
        results.append("Taken with `").append(commandLine()).append("`.\n\n");
        for (ChaosReport r : reports) {
            results.append(r.markdown()).append('\n');
            Path plot = ChaosPlot.write(r, plots.resolve("chaos-" + r.guarantee().replace('_', '-') + ".png"));
            results.append("![TreeDone per second, ").append(r.guarantee()).append("](reliability/")
                    .append(plot.getFileName()).append(")\n\n");
        }
        try {
            String text = Files.readString(docs);
            Files.writeString(docs, DocsPage.replaceBetween(text, START, END, results.toString(), docs));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + docs + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("Docs: " + docs + " and " + plots);
    }

    private String commandLine() {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0);
        }
        return ("./fanout chaos " + String.join(" ", args)).trim();
    }

    ChaosOptions options() {
        long[] every = range(killEvery, "--kill-every");
        long[] width = range(children, "--children");
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee) && !StreamsConfig.AT_LEAST_ONCE.equals(guarantee)) {
            throw new ParameterException(spec.commandLine(), "--guarantee " + guarantee
                    + ": use exactly_once_v2 or at_least_once");
        }
        if (steady < 0 || trees < 1 || partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--steady, --trees and --partitions take 0, 1 and 1 or more");
        }
        Path base = dir;
        if (base == null) {
            try {
                base = Files.createTempDirectory("fanout-chaos");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for the chaos run: " + e.getMessage(), e);
            }
        }
        Map<String, Object> overrides = new HashMap<>();
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
            overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        }
        try {
            return new ChaosOptions(instances, partitions, kills, Duration.ofSeconds(every[0]), Duration.ofSeconds(every[1]),
                    trees, rate, (int) width[0], (int) width[1], Duration.ofSeconds(steady), !noBrokerRestart,
                    !noRegistryRestart, Duration.ofMinutes(3), overrides, seed, base);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private long[] range(String text, String option) {
        String[] parts = text.split("-", -1);
        try {
            if (parts.length == 1) {
                long v = Long.parseLong(parts[0].trim());
                return new long[] {v, v};
            }
            if (parts.length == 2) {
                return new long[] {Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), option + " '" + text + "' is not MIN-MAX: write two whole numbers, such as 20-30");
    }
}
